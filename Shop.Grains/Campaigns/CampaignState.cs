using Shop.Grains.Interfaces.Campaigns;

namespace Shop.Grains.Campaigns;

public enum CampaignPhase
{
    /// <summary>Stored before any allotment is taken: an activation that finds it gives back what was taken.</summary>
    Creating,
    Created,
}

/// <summary>A campaign's stored record (default grain storage): what the admin defined and whether it ended.</summary>
[GenerateSerializer, Alias("Shop.Campaigns.CampaignState")]
public sealed class CampaignState
{
    [Id(0)] public CampaignDefinition? Definition { get; set; }

    [Id(1)] public CampaignPhase Phase { get; set; }

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public DateTimeOffset? EndedAt { get; set; }

    [Id(4)] public string? EndedBy { get; set; }
}

[GenerateSerializer, Alias("Shop.Campaigns.CampaignDirectoryState")]
public sealed class CampaignDirectoryState
{
    /// <summary>Campaign ids, oldest first.</summary>
    [Id(0)] public List<string> Ids { get; set; } = [];
}
