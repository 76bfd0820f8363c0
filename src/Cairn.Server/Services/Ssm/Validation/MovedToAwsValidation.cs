// TEMPORARY: the JSON validator moved to Cairn.Server.Aws.Validation (shared by every JSON service). Services/Logs
// (build-platform rewrite in progress) still imports this namespace; when it imports Cairn.Server.Aws.Validation,
// delete this file and its global using.
global using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Ssm.Validation;
