using System.Text.Json;
using Cairn.Runner.Builds;
using Cairn.Runner.Containers;
using Cairn.Runner.Sandbox;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Tests.Builds;

/// <summary>A placement is data an agent can be sent: it survives JSON, and opens the shell host it names.</summary>
public sealed class BuildPlacementTests
{
    public static TheoryData<BuildPlacement, string> Placements => new()
    {
        { BuildPlacement.Host, "host" },
        {
            new SandboxPlacement(new SandboxSettings
            {
                SourceDirectory = "/b/src", WritableDirectories = ["/b/home"], HiddenDirectories = ["/data"], User = new BuildUser(1001, 1001),
            }),
            "sandbox"
        },
        { new ContainerPlacement(new ContainerSettings("uuid-1", "busybox:local", ["/b/src"], true, "/b/container")), "container" },
    };

    [Theory]
    [MemberData(nameof(Placements))]
    public void A_placement_round_trips_through_JSON_with_its_kind(BuildPlacement placement, string kind)
    {
        var json = JsonSerializer.Serialize(placement);

        var read = JsonSerializer.Deserialize<BuildPlacement>(json)!;

        Assert.Equal(kind, JsonDocument.Parse(json).RootElement.GetProperty("kind").GetString());
        Assert.Equal(placement.GetType(), read.GetType());
        Assert.Equal(json, JsonSerializer.Serialize(read));
    }

    [Fact]
    public void Each_placement_opens_its_own_kind_of_shell_host()
    {
        var placements = Placements.Select(row => (BuildPlacement)row[0]).ToList();

        Assert.IsType<HostShells>(placements[0].Open());
        Assert.IsType<HostSandbox>(placements[1].Open());
        Assert.IsType<ContainerShellFactory>(placements[2].Open());
    }
}
