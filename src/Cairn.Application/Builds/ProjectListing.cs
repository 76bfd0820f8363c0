using Cairn.Core.Builds;
using Cairn.Core.Errors;

namespace Cairn.Application.Builds;

/// <summary>The projects the caller may read; <see cref="Denials"/> are the AccessDenied errors for the ones left out.</summary>
public sealed record ProjectListing(IReadOnlyList<BuildProject> Projects, IReadOnlyList<AwsException> Denials);
