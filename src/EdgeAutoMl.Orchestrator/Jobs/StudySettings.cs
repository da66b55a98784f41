using System.Globalization;
using System.Security.Cryptography;
using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Orchestrator.Objectives;
using EdgeAutoMl.Search;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// The search settings a study carries so that <c>edgeautoml worker</c> on another process or host can join it with no
/// other input: model and data (paths plus SHA-256, so a worker with different files refuses to run), objectives,
/// constraints, sampler, bit range, calibration, trial budget and measurement options. Stored as the study system
/// attribute <see cref="Key"/> (a JSON object; Optuna keeps it as it is). The board side (board, port, monitor) is
/// each worker's own and is not taken from here.
/// </summary>
public static class StudySettings
{
    /// <summary>Study system attribute holding the settings.</summary>
    public const string Key = "edgeautoml:search";

    /// <summary>Format version of the stored object.</summary>
    public const long Version = 1;

    /// <summary>Stores the settings of a search on its study (called when <c>search</c> creates the study).</summary>
    public static void Store(Study study, SearchSettings s)
    {
        var d = new Dictionary<string, object?>
        {
            ["version"] = Version,
            ["model"] = Path.GetFullPath(s.ModelPath),
            ["model_sha256"] = Sha256(s.ModelPath),
            ["objectives"] = string.Join(",", s.Objectives.Select(o => o.ToString())),
            ["constraints"] = s.Constraints.Select(c => (object?)c.ToString()).ToList(),
            ["sampler"] = s.Sampler,
            ["seed"] = (long)s.Seed,
            ["min_bits"] = (long)s.MinBits,
            ["max_bits"] = (long)s.MaxBits,
            ["calibration"] = s.Calibration.ToString().ToLowerInvariant(),
            ["trials"] = (long)s.Trials,
            ["energy_runs"] = (long)s.EnergyRuns,
            ["device_samples"] = s.DeviceSamples is { } n ? (long)n : null,
            ["energy_max_cv"] = s.EnergyMaxCv,
            ["energy_repeats"] = (long)s.EnergyRepeats,
            ["act_bits"] = s.ActivationBits,
            ["pruner"] = s.Pruner,
            ["subset_samples"] = (long)s.SubsetSamples,
        };
        foreach (var (name, path) in new[] { ("x", s.Data.XPath), ("y", s.Data.YPath), ("npz", s.Data.NpzPath), ("calib", s.Data.CalibPath) })
        {
            d[name] = path is null ? null : Path.GetFullPath(path);
            d[name + "_sha256"] = path is null ? null : Sha256(path);
        }
        study.SetSystemAttr(Key, d);
    }

    /// <summary>
    /// The settings stored on a study, for a worker: files are checked to exist and to match their stored hash.
    /// <paramref name="local"/> supplies what is the worker's own (storage URL, board, port, monitor, pool options);
    /// everything else comes from the study.
    /// </summary>
    /// <exception cref="InvalidOperationException">The study holds no (or unreadable) settings, or a file differs.</exception>
    public static SearchSettings Load(Study study, string storageUrl, SearchSettings local)
    {
        if (!study.SystemAttrs.TryGetValue(Key, out object? raw) || raw is not Dictionary<string, object?> d)
            throw new InvalidOperationException(
                $"study '{study.Name}' in {storageUrl} has no search settings (system attribute '{Key}'): " +
                "only studies created by `edgeautoml search` of this version can be joined by a worker");
        try
        {
            if (Long(d, "version") != Version)
                throw new InvalidOperationException($"settings version {d["version"]}, this worker reads version {Version}");
            string? File(string name)
            {
                if (d.GetValueOrDefault(name) is not string path) return null;
                if (!System.IO.File.Exists(path))
                    throw new FileNotFoundException($"{name} file {path} (named by the study) not found on this host");
                string want = (string)d[name + "_sha256"]!;
                string have = Sha256(path);
                if (have != want)
                    throw new InvalidOperationException($"{name} file {path} differs from the study's (sha256 {have[..12]}… vs {want[..12]}…)");
                return path;
            }
            return local with
            {
                Storage = storageUrl,
                StudyName = study.Name,
                ModelPath = File("model") ?? throw new InvalidOperationException("no model path"),
                Data = new DataSource(File("x"), File("y"), File("npz"), File("calib")),
                Objectives = Objective.ParseList((string)d["objectives"]!),
                Constraints = ((List<object?>)d["constraints"]!).Select(c => Constraint.Parse((string)c!)).ToList(),
                Sampler = (string)d["sampler"]!,
                Seed = (int)Long(d, "seed"),
                MinBits = (int)Long(d, "min_bits"),
                MaxBits = (int)Long(d, "max_bits"),
                Calibration = Enum.Parse<CalibrationMethod>((string)d["calibration"]!, ignoreCase: true),
                Trials = (int)Long(d, "trials"),
                EnergyRuns = (int)Long(d, "energy_runs"),
                DeviceSamples = d.GetValueOrDefault("device_samples") is long n ? (int)n : null,
                EnergyMaxCv = Convert.ToDouble(d["energy_max_cv"], CultureInfo.InvariantCulture),
                EnergyRepeats = (int)Long(d, "energy_repeats"),
                // Keys added after version 1 was written: a study stored without them used the defaults.
                ActivationBits = d.GetValueOrDefault("act_bits") as string ?? "8",
                Pruner = d.GetValueOrDefault("pruner") as string ?? local.Pruner,
                SubsetSamples = d.GetValueOrDefault("subset_samples") is long sub ? (int)sub : local.SubsetSamples,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidCastException or NullReferenceException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"study '{study.Name}': search settings (system attribute '{Key}') unreadable: {e.Message}", e);
        }
    }

    private static long Long(Dictionary<string, object?> d, string key) =>
        d.TryGetValue(key, out object? v) && v is long l ? l : throw new KeyNotFoundException($"'{key}' missing or not an integer");

    private static string Sha256(string path)
    {
        using FileStream f = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
