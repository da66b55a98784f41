namespace EdgeAutoMl.Storage;
