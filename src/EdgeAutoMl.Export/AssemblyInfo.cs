namespace EdgeAutoMl.Export;
