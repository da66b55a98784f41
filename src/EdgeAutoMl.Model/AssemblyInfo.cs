using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("EdgeAutoMl.Model.Tests")]
