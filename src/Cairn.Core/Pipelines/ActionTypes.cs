namespace Cairn.Core.Pipelines;

/// <summary>
/// The action types AWS's CodePipeline offers (owner AWS), with the ones Cairn runs marked. Configuration keys are
/// AWS's (docs: "CodePipeline action structure reference"); Cairn checks keys and artifact counts only for the types
/// it runs, and accepts the others in a pipeline's structure as AWS does.
/// </summary>
public static class ActionTypes
{
    public const string Source = "Source";
    public const string Build = "Build";
    public const string Test = "Test";
    public const string Deploy = "Deploy";
    public const string Approval = "Approval";
    public const string Invoke = "Invoke";
    public const string Compute = "Compute";

    private const string CodeBuildRuns = "a Cairn CodeBuild build of the project (StartBuild)";
    private const string NotInCairn = "a Source action with provider CodeStarSourceConnection, a Build or Test action with CodeBuild, Manual approval, or an ECS or EKS deploy";

    private static readonly ActionConfigurationProperty[] CodeBuildConfiguration =
    [
        new("ProjectName", true, "The CodeBuild project to build", Key: true, Queryable: true),
        new("PrimarySource", false, "The input artifact that is the build's primary source, when there are several"),
        new("EnvironmentVariables", false, "A JSON array of environment variables for the build (PLAINTEXT or PARAMETER_STORE)"),
        new("BatchEnabled", false, "Whether to run a batch build"),
        new("CombineArtifacts", false, "Whether to combine a batch build's artifacts into one"),
    ];

    public static IReadOnlyList<ActionTypeDefinition> All { get; } =
    [
        new(Source, "AWS", "CodeStarSourceConnection", "1",
            [
                new("ConnectionArn", true, "The ARN of the connection to the repository host", Key: true),
                new("FullRepositoryId", true, "The owner and name of the repository, as owner/name", Key: true),
                new("BranchName", true, "The branch whose changes start the pipeline", Key: true),
                new("OutputArtifactFormat", false, "CODE_ZIP (the default) or CODEBUILD_CLONE_REF"),
                new("DetectChanges", false, "Whether a change to the branch starts the pipeline (true by default)"),
            ],
            (0, 0), (1, 1), CairnRuns: "a git clone of the connection's repository at the branch"),
        new(Source, "AWS", "CodeCommit", "1",
            [
                new("RepositoryName", true, "The CodeCommit repository", Key: true),
                new("BranchName", true, "The branch", Key: true),
                new("PollForSourceChanges", false, "Whether to poll for changes"),
                new("OutputArtifactFormat", false, "CODE_ZIP or CODEBUILD_CLONE_REF"),
            ],
            (0, 0), (1, 1), Instead: NotInCairn),
        new(Source, "AWS", "S3", "1",
            [
                new("S3Bucket", true, "The bucket", Key: true),
                new("S3ObjectKey", true, "The object key", Key: true),
                new("PollForSourceChanges", false, "Whether to poll for changes"),
                new("AllowOverrideForS3ObjectKey", false, "Whether StartPipelineExecution may name another key"),
            ],
            (0, 0), (1, 1), Instead: NotInCairn),
        new(Source, "AWS", "ECR", "1",
            [
                new("RepositoryName", true, "The ECR repository", Key: true),
                new("ImageTag", false, "The image tag (latest by default)"),
            ],
            (0, 0), (1, 1), Instead: NotInCairn),
        new(Build, "AWS", "CodeBuild", "1", CodeBuildConfiguration, (1, 5), (0, 5), CairnRuns: CodeBuildRuns),
        new(Build, "AWS", "ECRBuildAndPublish", "1",
            [
                new("ECRRepositoryName", true, "The repository to push to", Key: true),
                new("DockerFilePath", false, "The directory of the Dockerfile"),
                new("ImageTags", false, "Tags for the image"),
                new("RegistryType", false, "private or public"),
            ],
            (1, 1), (0, 0), Instead: NotInCairn),
        new(Test, "AWS", "CodeBuild", "1", CodeBuildConfiguration, (1, 5), (0, 5), CairnRuns: CodeBuildRuns),
        new(Test, "AWS", "DeviceFarm", "1",
            [
                new("ProjectId", true, "The Device Farm project", Key: true),
                new("DevicePoolArn", true, "The device pool", Key: true),
                new("AppType", true, "The app's platform", Key: true),
            ],
            (1, 1), (0, 0), Instead: NotInCairn),
        new(Approval, "AWS", "Manual", "1",
            [
                new("NotificationArn", false, "An SNS topic to notify"),
                new("CustomData", false, "What the approver is shown"),
                new("ExternalEntityLink", false, "A link the approver is shown"),
            ],
            (0, 0), (0, 0), CairnRuns: "a manual approval, given with PutApprovalResult"),
        new(Deploy, "AWS", "ECS", "1",
            [
                new("ClusterName", true, "The cluster: in Cairn, a registered Docker engine in swarm mode", Key: true),
                new("ServiceName", true, "The service: in Cairn, a Docker Swarm service", Key: true),
                new("FileName", false, "The image definitions file in the input artifact (imagedefinitions.json by default)"),
                new("DeploymentTimeout", false, "Minutes to wait for the deployment (60 at most)"),
            ],
            (1, 1), (0, 0), CairnRuns: "a rolling, health-gated update of a Docker Swarm service, rolled back when unhealthy"),
        new(Deploy, "AWS", "EKS", "1",
            [
                new("ClusterName", true, "The cluster: in Cairn, a Kubernetes cluster registered by kubeconfig", Key: true),
                new("ManifestFiles", false, "Manifest files in the input artifact (this or HelmChartLocation)"),
                new("HelmChartLocation", false, "A Helm chart in the input artifact (this or ManifestFiles)"),
                new("HelmReleaseName", false, "The Helm release"),
                new("HelmValuesFiles", false, "Helm values files"),
                new("Namespace", false, "The Kubernetes namespace"),
            ],
            (1, 1), (0, 0), CairnRuns: "manifests applied through the Kubernetes API, waiting for the rollout"),
        new(Deploy, "AWS", "CodeDeploy", "1",
            [
                new("ApplicationName", true, "The CodeDeploy application", Key: true),
                new("DeploymentGroupName", true, "The deployment group", Key: true),
            ],
            (1, 1), (0, 0), Instead: NotInCairn),
        new(Deploy, "AWS", "CodeDeployToECS", "1",
            [
                new("ApplicationName", true, "The CodeDeploy application", Key: true),
                new("DeploymentGroupName", true, "The deployment group", Key: true),
                new("TaskDefinitionTemplateArtifact", true, "The artifact holding the task definition"),
                new("AppSpecTemplateArtifact", true, "The artifact holding the AppSpec file"),
            ],
            (1, 3), (0, 0), Instead: NotInCairn),
        new(Deploy, "AWS", "CloudFormation", "1",
            [
                new("ActionMode", true, "What to do with the stack", Key: true),
                new("StackName", true, "The stack", Key: true),
                new("TemplatePath", false, "The template, as artifact::path"),
                new("Capabilities", false, "Capabilities to acknowledge"),
                new("RoleArn", false, "The role CloudFormation acts as"),
                new("ParameterOverrides", false, "Parameter values as JSON"),
                new("OutputFileName", false, "File for the stack's outputs"),
            ],
            (0, 10), (0, 1), Instead: NotInCairn),
        new(Deploy, "AWS", "S3", "1",
            [
                new("BucketName", true, "The bucket", Key: true),
                new("Extract", true, "Whether to extract the artifact"),
                new("ObjectKey", false, "The key when not extracting"),
            ],
            (1, 1), (0, 0), Instead: NotInCairn),
        new(Deploy, "AWS", "ElasticBeanstalk", "1",
            [
                new("ApplicationName", true, "The application", Key: true),
                new("EnvironmentName", true, "The environment", Key: true),
            ],
            (1, 1), (0, 0), Instead: NotInCairn),
        new(Deploy, "AWS", "AppConfig", "1",
            [
                new("Application", true, "The application", Key: true),
                new("Environment", true, "The environment", Key: true),
                new("ConfigurationProfile", true, "The configuration profile", Key: true),
                new("InputArtifactConfigurationPath", true, "The configuration file in the artifact"),
                new("DeploymentStrategy", true, "The deployment strategy"),
            ],
            (1, 1), (0, 0), Instead: NotInCairn),
        new(Invoke, "AWS", "Lambda", "1",
            [
                new("FunctionName", true, "The function", Key: true),
                new("UserParameters", false, "A string passed to the function"),
            ],
            (0, 5), (0, 5), Instead: NotInCairn),
        new(Invoke, "AWS", "StepFunctions", "1",
            [
                new("StateMachineArn", true, "The state machine", Key: true),
                new("ExecutionNamePrefix", false, "A prefix for execution names"),
                new("InputType", false, "Literal or FilePath"),
                new("Input", false, "The execution's input"),
            ],
            (0, 1), (0, 1), Instead: NotInCairn),
        new(Compute, "AWS", "Commands", "1", [], (1, 10), (0, 1), Instead: NotInCairn),
    ];

    /// <summary>The AWS action type with this category, provider and version, or null.</summary>
    public static ActionTypeDefinition? Find(string category, string owner, string provider, string version) =>
        All.FirstOrDefault(t => t.Category == category && t.Owner == owner && t.Provider == provider && t.Version == version);

    /// <summary>The providers AWS offers in a category (for did-you-mean on a misspelt one).</summary>
    public static IReadOnlyList<string> ProvidersIn(string category) =>
        All.Where(t => t.Category == category).Select(t => t.Provider).ToList();
}
