using Cairn.Application.Identity.Authorization;
using Cairn.Application.Identity;
using Cairn.Application.Identity.WebIdentity;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Passwords;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Cairn.Server.Services.Sts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Server.Services.Iam;

/// <summary>Registers IAM, STS, policy-based authorization and console sign-in (<see cref="ConsoleSignInService"/>) over the registered IIdentityStore.</summary>
public static class IdentityModule
{
    /// <summary>Call after the hosting defaults: it replaces the root-only authorizer and credential resolver.</summary>
    public static IServiceCollection AddIdentity(this IServiceCollection services)
    {
        services.AddSingleton<IdentityDirectory>();
        services.AddSingleton<PolicyAuthorizer>();
        services.AddSingleton<IAuthorizer>(provider => provider.GetRequiredService<PolicyAuthorizer>());
        services.AddSingleton<ICredentialResolver, IdentityCredentialResolver>();
        services.AddSingleton<OidcKeySource>();
        services.AddSingleton<RoleSessions>();
        services.AddSingleton<IRoleAssumer>(provider => provider.GetRequiredService<RoleSessions>());
        services.AddSingleton<UserService>();
        services.AddSingleton<AccessKeyService>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<LoginProfileService>();
        services.AddSingleton<AccountSettingsService>();
        services.AddSingleton(provider => new CredentialReportService.RootKey(
            provider.GetRequiredService<CairnServerOptions>().AccountId, provider.GetRequiredService<RootCredentials>().AccessKeyId));
        services.AddSingleton<CredentialReportService>();
        services.AddSingleton<PolicySimulator>();
        services.AddSingleton<RoleService>();
        services.AddSingleton<GroupService>();
        services.AddSingleton<ManagedPolicyService>();
        services.AddSingleton<PolicyAttachmentService>();
        services.AddSingleton<OpenIdConnectProviderService>();
        services.AddSingleton<InstanceProfileService>();
        services.AddSingleton<ServiceLinkedRoleService>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<CairnServerOptions>();
            return new ConsoleSignInOptions(options.AccountId, provider.GetRequiredService<RootCredentials>().SecretAccessKey, options.DefaultRegion);
        });
        services.AddSingleton<ConsoleSignInService>();
        services.AddSingleton<IamService>();
        services.AddSingleton<IQueryService>(provider => provider.GetRequiredService<IamService>());
        services.AddSingleton<StsService>();
        services.AddSingleton<IQueryService>(provider => provider.GetRequiredService<StsService>());
        return services;
    }
}
