namespace EdgeAutoMl.Hardware;
