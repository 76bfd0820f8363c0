using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Cairn.Application.Identity;
using Cairn.Application.Identity.Authorization;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Identity;

namespace Cairn.Server.Services.Iam;

/// <summary>
/// IAM over the Query protocol: users, access keys, roles, groups, managed and inline policies, tags, the policy
/// simulator, console sign-in identities (login profiles, the password policy, account aliases), OpenID Connect providers, instance profiles, service-linked roles and the credential report. Every operation is authorized as <c>iam:&lt;Action&gt;</c> on the entity's ARN before it runs. Users and
/// access keys, roles, groups, managed policies and their attachments, login profiles and account settings are adapters
/// over <c>Cairn.Application.Identity</c> (input checked here against <see cref="IamShapes"/>); and the simulator over
/// <see cref="PolicySimulator"/>.
/// </summary>
internal sealed partial class IamService : IQueryService
{
    public const string Namespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    private readonly PolicySimulator _simulator;
    private readonly TimeProvider _time;
    private readonly UserService _users;
    private readonly AccessKeyService _accessKeys;
    private readonly LoginProfileService _loginProfiles;
    private readonly AccountSettingsService _accountSettings;
    private readonly RoleService _roles;
    private readonly GroupService _groups;
    private readonly ManagedPolicyService _policies;
    private readonly PolicyAttachmentService _attachments;
    private readonly OpenIdConnectProviderService _oidcProviders;
    private readonly InstanceProfileService _instanceProfiles;
    private readonly ServiceLinkedRoleService _serviceLinkedRoles;
    private readonly CredentialReportService _credentialReports;
    private readonly Dictionary<string, Func<QueryArgs, RequestContext, CancellationToken, Task<XElement?>>> _operations;

    public IamService(PolicySimulator simulator, TimeProvider time, UserService users, AccessKeyService accessKeys,
        LoginProfileService loginProfiles, AccountSettingsService accountSettings, RoleService roles, GroupService groups,
        ManagedPolicyService policies, PolicyAttachmentService attachments, OpenIdConnectProviderService oidcProviders,
        InstanceProfileService instanceProfiles, ServiceLinkedRoleService serviceLinkedRoles, CredentialReportService credentialReports)
    {
        _simulator = simulator;
        _time = time;
        _users = users;
        _accessKeys = accessKeys;
        _loginProfiles = loginProfiles;
        _accountSettings = accountSettings;
        _roles = roles;
        _groups = groups;
        _policies = policies;
        _attachments = attachments;
        _oidcProviders = oidcProviders;
        _instanceProfiles = instanceProfiles;
        _serviceLinkedRoles = serviceLinkedRoles;
        _credentialReports = credentialReports;
        _operations = new(StringComparer.Ordinal);
        RegisterUsers();
        RegisterRoles();
        RegisterGroups();
        RegisterPolicies();
        RegisterAttachments();
        RegisterSimulation();
        RegisterSignIn();
        RegisterOpenIdConnect();
        RegisterInstanceProfiles();
        RegisterServiceLinkedRoles();
        RegisterCredentialReports();
    }

    public string SigningName => "iam";

    public string XmlNamespace => Namespace;

    public IReadOnlyCollection<string> Operations => _operations.Keys;

    public Task<XElement?> InvokeAsync(string action, IReadOnlyDictionary<string, string> parameters, RequestContext context, CancellationToken cancellationToken)
    {
        if (!_operations.TryGetValue(action, out var operation))
        {
            throw AwsErrors.InvalidAction("IAM", action, "2010-05-08", Operations);
        }

        if (context.Principal.FromSessionToken)
        {
            throw AwsErrors.SessionTokenCannotCallIam();
        }

        if (IamShapes.ByAction.TryGetValue(action, out var shape))
        {
            QueryValidator.Validate(parameters, shape);
        }
        else
        {
            IamValidation.Patterns(parameters);
        }

        return operation(new QueryArgs(parameters), context, cancellationToken);
    }

    private void On(string action, Func<QueryArgs, RequestContext, CancellationToken, Task<XElement?>> handler) => _operations[action] = handler;

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>One page of a list and IAM's IsTruncated/Marker (the marker is an opaque position).</summary>
    private static (List<T> Items, object?[] Paging) Page<T>(IReadOnlyList<T> all, QueryArgs args)
    {
        var max = args.Int("MaxItems") ?? 100;
        IamValidation.Range(max, "maxItems", 1, 1000);
        var start = 0;
        if (args.Get("Marker") is { } marker)
        {
            try
            {
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(marker)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw AwsErrors.InvalidInput("Invalid Marker.");
            }
        }

        var items = all.Skip(start).Take(max).ToList();
        var truncated = start + items.Count < all.Count;
        var next = truncated ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + items.Count).ToString(CultureInfo.InvariantCulture))) : null;
        return (items, IamXml.Paging(truncated, next));
    }
}
