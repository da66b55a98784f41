namespace EdgeAutoMl.Model.Packing;

/// <summary>A buffer to place: its size and the op indices during which it must live (inclusive).</summary>
public readonly record struct BufferLifetime(int Size, int FirstOp, int LastOp);

/// <summary>
/// Greedy arena planner in the manner of TFLite Micro's GreedyMemoryPlanner: buffers are
/// placed largest first, each at the lowest 4-aligned offset that does not overlap a placed
/// buffer whose lifetime intersects its own.
/// </summary>
public static class ArenaPlanner
{
    /// <summary>Returns each buffer's offset and the arena size.</summary>
    public static (int[] offsets, int arenaBytes) Plan(IReadOnlyList<BufferLifetime> buffers)
    {
        var order = Enumerable.Range(0, buffers.Count)
            .OrderByDescending(i => buffers[i].Size).ThenBy(i => buffers[i].FirstOp).ThenBy(i => i).ToArray();
        var offsets = new int[buffers.Count];
        var placed = new List<int>();
        int arena = 0;
        foreach (var i in order)
        {
            var b = buffers[i];
            var conflicts = placed.Where(j => buffers[j].FirstOp <= b.LastOp && b.FirstOp <= buffers[j].LastOp)
                                  .OrderBy(j => offsets[j]).ToList();
            int candidate = 0;
            foreach (var j in conflicts)
            {
                if (candidate + b.Size <= offsets[j]) break; // fits in the gap below j
                candidate = Math.Max(candidate, BlobFormat.Align4(offsets[j] + buffers[j].Size));
            }
            offsets[i] = candidate;
            placed.Add(i);
            arena = Math.Max(arena, BlobFormat.Align4(candidate + b.Size));
        }
        return (offsets, arena);
    }
}
