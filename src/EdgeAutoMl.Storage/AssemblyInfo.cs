using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("EdgeAutoMl.Storage.Tests")]
