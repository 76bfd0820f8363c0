namespace Cairn.Core.Errors;

/// <summary>
/// CodePipeline (CodePipeline_20150709) error codes and texts. Texts marked "verify" are our wording where AWS's exact
/// text is not known or says too little (the structure rules): they keep AWS's code and say what is wrong, where
/// (stage and action), and how to fix it.
/// </summary>
public static partial class AwsErrors
{
    public static AwsException PipelineNameInUse(string name, string accountId) =>
        new("PipelineNameInUseException", $"A pipeline with the name '{name}' already exists in account '{accountId}'");

    public static AwsException PipelineNotFound(string name, string accountId) =>
        new("PipelineNotFoundException", $"Account '{accountId}' does not have a pipeline with name '{name}'");

    /// <summary>verify.</summary>
    public static AwsException PipelineVersionNotFound(string name, int version, int latest) =>
        new("PipelineVersionNotFoundException",
            $"Pipeline '{name}' does not have version '{version}': its versions are 1 to {latest} (get-pipeline without --pipeline-version shows the latest).");

    /// <summary>verify.</summary>
    public static AwsException PipelineResourceNotFound(string arn) =>
        new("ResourceNotFoundException", $"No pipeline has the ARN {arn} in this account and region; aws codepipeline list-pipelines shows the ones that exist.");

    /// <summary>verify.</summary>
    public static AwsException InvalidPipelineArn(string arn) =>
        new("InvalidArnException",
            $"The ARN {arn} is not a pipeline's ARN in this account and region. A pipeline's ARN is arn:aws:codepipeline:<region>:<account>:<pipeline-name>; get-pipeline shows it as metadata.pipelineArn.");

    /// <summary>verify.</summary>
    public static AwsException PipelineTooManyTags(int count) =>
        new("TooManyTagsException", $"Tag limit exceeded: a pipeline may carry at most 50 tags, and this would give it {count}. Remove some with untag-resource first.");

    /// <summary>verify.</summary>
    public static AwsException PipelineReservedTagKey(string key) =>
        new("InvalidTagsException", $"Invalid tag key '{key}': keys that start with 'aws:' are reserved for AWS's own tags.");

    /// <summary>verify.</summary>
    public static AwsException PipelineDuplicateTagKey(string key) =>
        new("InvalidTagsException", $"Invalid tags: the key '{key}' appears more than once in the request; give each key once.");

    public static AwsException CodePipelineInvalidNextToken() =>
        new("InvalidNextTokenException", "The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.");

    /// <summary>verify.</summary>
    public static AwsException ArtifactStoreMissing() =>
        InvalidStructure("The pipeline has no artifact store: give either artifactStore (one store, in the pipeline's region) "
            + "or artifactStores (one per region the pipeline's actions run in), but not both.");

    /// <summary>verify.</summary>
    public static AwsException ArtifactStoreBoth() =>
        InvalidStructure("The pipeline gives both artifactStore and artifactStores: use artifactStore for a pipeline whose actions all run in its own region, "
            + "or artifactStores (one store per region, the pipeline's region included) for a cross-region pipeline, but not both.");

    /// <summary>verify.</summary>
    public static AwsException ArtifactStoresMissRegion(string region, string where) =>
        InvalidStructure($"artifactStores has no store for region '{region}', which {where} needs: add an entry \"{region}\": {{\"type\": \"S3\", \"location\": \"...\"}} to artifactStores.");

    /// <summary>verify.</summary>
    public static AwsException TooFewStages(string pipeline, int count) =>
        InvalidStructure($"Pipeline '{pipeline}' has {count} stage{(count == 1 ? string.Empty : "s")}, and a pipeline needs at least 2: "
            + "a first stage with the source actions, then at least one stage that uses what they fetch (a Build stage with a CodeBuild action, for example).");

    /// <summary>verify.</summary>
    public static AwsException TooManyStages(string pipeline, int count) =>
        InvalidStructure($"Pipeline '{pipeline}' has {count} stages, more than the 50 a pipeline may have: merge stages, or split the pipeline in two.");

    /// <summary>verify.</summary>
    public static AwsException DuplicateStageName(string stage) =>
        InvalidStructure($"Two stages are named '{stage}': stage names must be unique within a pipeline; rename one.");

    /// <summary>verify.</summary>
    public static AwsException FirstStageNotSource(string stage, string action, string category) =>
        InvalidStructure($"The first stage, '{stage}', may hold only source actions, but its action '{action}' is a {category} action: "
            + "move it to a later stage, or make the first stage the one that fetches the source.");

    /// <summary>verify.</summary>
    public static AwsException SourceActionOutsideFirstStage(string stage, string action) =>
        InvalidStructure($"Action '{action}' in stage '{stage}' is a source action, and source actions may only be in the first stage: move it there.");

    /// <summary>verify.</summary>
    public static AwsException DuplicateOutputArtifact(string artifact, string stage, string action, string firstStage, string firstAction) =>
        InvalidStructure($"Output artifact '{artifact}' of action '{action}' in stage '{stage}' has the name of the output of action '{firstAction}' in stage '{firstStage}': "
            + "output artifact names must be unique within a pipeline; rename one (and the input artifacts that use it).");

    /// <summary>verify.</summary>
    public static AwsException InputArtifactNotProduced(string artifact, string stage, string action, string? suggestion) =>
        InvalidStructure($"Input artifact '{artifact}' of action '{action}' in stage '{stage}' is not the output of any earlier action. "
            + (suggestion is null
                ? "Name the output artifact of an action in an earlier stage, or of an action in the same stage with a lower runOrder."
                : $"Did you mean '{suggestion}'?"));

    /// <summary>verify.</summary>
    public static AwsException InputArtifactProducedLater(string artifact, string stage, string action, string producerStage, string producerAction) =>
        InvalidStructure($"Input artifact '{artifact}' of action '{action}' in stage '{stage}' is the output of action '{producerAction}' in stage '{producerStage}', "
            + "which does not run before it: an input must come from an earlier stage, or from the same stage with a lower runOrder.");

    /// <summary>verify.</summary>
    public static AwsException DuplicateNamespace(string ns, string stage, string action, string firstStage, string firstAction) =>
        InvalidActionDeclaration("Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline. "
            + $"StageName=[{stage}], ActionName=[{action}], Namespace=[{ns}] (it is already the namespace of action '{firstAction}' in stage '{firstStage}'; rename one).");

    /// <summary>verify.</summary>
    public static AwsException NeedsV2(string pipeline, string feature) =>
        InvalidStructure($"Pipeline '{pipeline}' is of type V1, and {feature} need a V2 pipeline: set \"pipelineType\": \"V2\".");

    /// <summary>verify.</summary>
    public static AwsException DuplicatePipelineVariable(string variable) =>
        InvalidStructure($"Two pipeline variables are named '{variable}': variable names must be unique within a pipeline.");

    /// <summary>verify.</summary>
    public static AwsException TriggerSourceActionNotFound(string action, string? suggestion) =>
        InvalidStructure($"A trigger names source action '{action}', but the first stage has no CodeStarSourceConnection action of that name"
            + (suggestion is null ? "." : $". Did you mean '{suggestion}'?")
            + " A trigger's gitConfiguration.sourceActionName must name a CodeStarSourceConnection source action.");

    /// <summary>verify.</summary>
    public static AwsException StageWithoutActions(string stage) =>
        InvalidStageDeclaration($"Stage '{stage}' has no actions: a stage needs at least one action; add one or remove the stage.");

    /// <summary>verify.</summary>
    public static AwsException TooManyActionsInStage(string stage, int count) =>
        InvalidStageDeclaration($"Stage '{stage}' has {count} actions, more than the 50 a stage may have: move some to another stage.");

    /// <summary>verify.</summary>
    public static AwsException DuplicateActionName(string stage, string action) =>
        InvalidActionDeclaration($"Stage '{stage}' has two actions named '{action}': action names must be unique within a stage; rename one.");

    /// <summary>verify.</summary>
    public static AwsException DuplicateBlockerName(string stage, string blocker) =>
        new("InvalidBlockerDeclarationException", $"Stage '{stage}' has two blockers named '{blocker}': blocker names must be unique within a stage; rename one.");

    /// <summary>AWS's text, then the providers of the category when one is close to the one given.</summary>
    public static AwsException ActionTypeNotAvailable(string actionType, string action, string region, string? suggestion) =>
        InvalidActionDeclaration($"ActionType {actionType} in action '{action}' is not available in region '{region.ToUpperInvariant().Replace('-', '_')}'"
            + (suggestion is null ? string.Empty : $". Did you mean provider '{suggestion}'?"));

    /// <summary>AWS's text.</summary>
    public static AwsException TooFewArtifacts(string action, string kind, int count, int minimum) =>
        InvalidActionDeclaration($"Action {action} declares {count} {kind} artifacts which is less than the minimum count ({minimum})");

    /// <summary>verify: the minimum's text, mirrored.</summary>
    public static AwsException TooManyArtifacts(string action, string kind, int count, int maximum) =>
        InvalidActionDeclaration($"Action {action} declares {count} {kind} artifacts which is greater than the maximum count ({maximum})");

    /// <summary>AWS's text, then the keys the provider takes.</summary>
    public static AwsException MissingActionConfiguration(string action, string key, string provider, IEnumerable<string> keys) =>
        InvalidActionDeclaration($"Action configuration for action '{action}' is missing required configuration '{key}'. "
            + $"A {provider} action's configuration takes: {string.Join(", ", keys)}.");

    /// <summary>AWS's text, then the nearest key or the keys the provider takes.</summary>
    public static AwsException UnknownActionConfiguration(string action, string key, string provider, string? suggestion, IEnumerable<string> keys) =>
        InvalidActionDeclaration($"Action configuration for action '{action}' contains unknown configuration '{key}'. "
            + (suggestion is null ? $"A {provider} action's configuration takes: {string.Join(", ", keys)}." : $"Did you mean '{suggestion}'?"));

    /// <summary>verify.</summary>
    public static AwsException EksNeedsManifestsOrChart(string action) =>
        InvalidActionDeclaration($"Action configuration for action '{action}' has neither ManifestFiles nor HelmChartLocation: an EKS deploy needs one of them to know what to apply.");

    private static AwsException InvalidStructure(string message) => new("InvalidStructureException", message);

    private static AwsException InvalidStageDeclaration(string message) => new("InvalidStageDeclarationException", message);

    private static AwsException InvalidActionDeclaration(string message) => new("InvalidActionDeclarationException", message);
}
