using Cairn.Core.Builds;
using Cairn.Core.Errors;

namespace Cairn.Application.Builds;

/// <summary>
/// A page of builds the caller may read, newest first; <see cref="NextBefore"/> continues the listing. <see cref="Denials"/>
/// are the AccessDenied errors for the projects whose builds were left out (one per project).
/// </summary>
public sealed record BuildListing(IReadOnlyList<BuildRecord> Builds, long? NextBefore, IReadOnlyList<AwsException> Denials);
