using System.Globalization;
using System.Text.Json;
using EdgeAutoMl.Export;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Search;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// Rebuilds a stored trial's quantized model from the study's settings (model and data paths,
/// bit-widths from the trial's params) and writes its firmware artifacts. The rebuilt blob's
/// hash must equal the one the trial measured, so what is exported is what was measured.
/// </summary>
public static class ExportJob
{
    /// <summary>Exports trial <paramref name="trialNumber"/> of study <paramref name="studyName"/> into <paramref name="outDir"/>.</summary>
    public static IReadOnlyList<string> Run(string storageUrl, string studyName, int trialNumber, string outDir)
    {
        var storage = StorageUrl.Open(storageUrl);
        using var lifetime = storage as IDisposable;
        var study = Study.Load(storage, studyName);
        var trial = study.GetTrials().FirstOrDefault(t => t.Number == trialNumber)
            ?? throw new ArgumentException($"study '{studyName}' has no trial {trialNumber} (it has {study.GetTrials().Count})");
        if (!study.UserAttrs.TryGetValue("settings", out var raw) || raw is not string settingsJson)
            throw new InvalidOperationException($"study '{studyName}' has no 'settings' attribute: it was not written by edgeautoml search");
        using var settings = JsonDocument.Parse(settingsJson);
        string? S(string k) => settings.RootElement.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var model = S("model") ?? throw new InvalidOperationException("settings lack the model path");
        var calibration = S("calibration") is { } c && Enum.TryParse<EdgeAutoMl.Model.Calibration.CalibrationMethod>(c, ignoreCase: true, out var cm)
            ? cm : EdgeAutoMl.Model.Calibration.CalibrationMethod.MinMax;
        var bench = ModelWorkbench.Load(model, new DataSource(S("x"), S("y"), S("npz"), S("calib")), calibration);

        var config = bench.FromParams(trial.Params.ToDictionary(kv => kv.Key, kv => (object?)kv.Value), S("act_bits") ?? "8", $"trial {trialNumber}");
        var bits = config.WeightBits;
        var q = bench.Prepared.Quantize(config);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(q.Blob));
        if (trial.UserAttrs.TryGetValue("blob_sha256", out var measured) && measured is string m && m != sha)
            throw new InvalidOperationException($"trial {trialNumber}: the rebuilt blob (sha256 {sha[..12]}…) differs from the measured one ({m[..12]}…): model, data or quantizer changed since the search");

        var metrics = trial.UserAttrs.Where(kv => kv.Key is not ("trace_ua" or "trace_trigger" or "trace_rate_hz") && kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value!);
        var extra = new Dictionary<string, object>
        {
            ["study"] = studyName, ["trial"] = trialNumber, ["state"] = trial.State.ToString().ToUpperInvariant(),
            ["source_model"] = model,
        };
        if (trial.UserAttrs.TryGetValue("device", out var dev) && dev is not null) extra["device"] = dev;
        var name = Path.GetFileNameWithoutExtension(model);
        return FirmwareArtifacts.Write(outDir, q.Blob, q.ExportQdq(), new ArtifactManifest(name, bits, metrics, extra));
    }
}
