namespace EdgeAutoMl.Model.Evaluation;

/// <summary>Classification metrics shared by the evaluators.</summary>
public static class Metrics
{
    /// <summary>Index of the largest value (first one on ties, as NumPy's argmax).</summary>
    public static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
            if (v[i] > v[best]) best = i;
        return best;
    }

    /// <summary>Fraction of samples whose argmax equals the label.</summary>
    public static double Top1(IReadOnlyList<float[]> outputs, IReadOnlyList<int> labels)
    {
        if (outputs.Count != labels.Count) throw new ArgumentException($"{outputs.Count} outputs for {labels.Count} labels");
        if (outputs.Count == 0) throw new ArgumentException("accuracy of an empty data set is undefined");
        int correct = 0;
        for (int i = 0; i < outputs.Count; i++)
            if (ArgMax(outputs[i]) == labels[i]) correct++;
        return (double)correct / outputs.Count;
    }
}
