namespace EdgeAutoMl.Search;
