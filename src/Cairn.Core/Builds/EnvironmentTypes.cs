namespace Cairn.Core.Builds;

/// <summary>CodeBuild's EnvironmentType values and where Cairn runs each.</summary>
public static class EnvironmentTypes
{
    public const string LinuxContainer = "LINUX_CONTAINER";
    public const string LinuxEc2 = "LINUX_EC2";

    public static IReadOnlyList<string> All { get; } =
    [
        "WINDOWS_CONTAINER", LinuxContainer, "LINUX_GPU_CONTAINER", "ARM_CONTAINER", "WINDOWS_SERVER_2019_CONTAINER",
        "WINDOWS_SERVER_2022_CONTAINER", "LINUX_LAMBDA_CONTAINER", "ARM_LAMBDA_CONTAINER", LinuxEc2, "ARM_EC2", "WINDOWS_EC2", "MAC_ARM",
    ];

    /// <summary>"EC2 compute" (no container): Cairn runs the commands in a shell on its own host.</summary>
    public static bool RunsOnHost(string type) => type is LinuxEc2 or "ARM_EC2";

    /// <summary>Linux containers: Cairn runs the commands in a container of the project's image.</summary>
    public static bool RunsInContainer(string type) => type is LinuxContainer or "ARM_CONTAINER" or "LINUX_GPU_CONTAINER";

    public static IReadOnlyList<string> ComputeTypes { get; } =
    [
        "BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE",
        "BUILD_LAMBDA_1GB", "BUILD_LAMBDA_2GB", "BUILD_LAMBDA_4GB", "BUILD_LAMBDA_8GB", "BUILD_LAMBDA_10GB", "ATTRIBUTE_BASED_COMPUTE", "CUSTOM_INSTANCE_TYPE",
    ];
}
