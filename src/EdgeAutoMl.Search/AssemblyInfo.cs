using System.Runtime.CompilerServices;

// The test project checks internal math (Parzen estimator, truncated normal) directly.
[assembly: InternalsVisibleTo("EdgeAutoMl.Search.Tests")]
