namespace EdgeAutoMl.Model;
