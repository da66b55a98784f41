#:project EdgeAutoMl.Bench/EdgeAutoMl.Bench.csproj
// Suggest latency of the GP sampler as the study grows (its cost is O(n³) per fit), next to our TPE:
//   dotnet run -c Release bench/gp_latency.cs -- [FUNCTION] [TRIALS] [SEED] [SAMPLERS]
// e.g. `-- hartmann6 300 0 gp,tpe`. For each window of 10 trials ending at 100, 200, 300, … it prints the mean
// wall time and the mean process CPU time (all threads: MathNet may use worker threads) of Ask + suggests.
// On a loaded machine compare the CPU column; wall time includes waiting for a core.
using System.Diagnostics;
using EdgeAutoMl.Bench;
using EdgeAutoMl.Search;
using EdgeAutoMl.Storage;

string function = args.Length > 0 ? args[0] : "hartmann6";
int trials = args.Length > 1 ? int.Parse(args[1]) : 300;
int seed = args.Length > 2 ? int.Parse(args[2]) : 0;
string[] samplers = (args.Length > 3 ? args[3] : "gp,tpe").Split(',');
BenchmarkFunction f = Functions.ByName(function);
var process = Process.GetCurrentProcess();
foreach (string name in samplers)
{
    Study study = Study.Create(new InMemoryStorage(), "lat", StudyDirection.Minimize, SamplerBenchmark.CreateSampler(name, seed));
    double wallSum = 0, cpuSum = 0;
    for (int i = 1; i <= trials; i++)
    {
        process.Refresh();
        TimeSpan cpu0 = process.TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        Trial trial = study.Ask();
        double[] x = f.Suggest(trial);
        double wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        study.Tell(trial, f.Evaluate(x));
        if (i % 100 > 90 || i % 100 == 0) { wallSum += wall; cpuSum += cpu; }
        if (i % 100 == 0)
        {
            Console.WriteLine($"LATENCY sampler={name} function={function} seed={seed} trials={i - 9}..{i} " +
                              $"wall_ms={wallSum / 10:F2} process_cpu_ms={cpuSum / 10:F2} best={study.BestValue:G8}");
            wallSum = cpuSum = 0;
        }
    }
}
