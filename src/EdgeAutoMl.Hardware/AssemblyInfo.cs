using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("EdgeAutoMl.Hardware.Tests")]
