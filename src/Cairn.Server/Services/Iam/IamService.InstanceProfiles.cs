using System.Xml.Linq;
using Cairn.Application.Identity;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Instance profiles, their role and tags; adapters over <see cref="InstanceProfileService"/>.</summary>
internal sealed partial class IamService
{
    private const string ProfileName = "InstanceProfileName";

    private void RegisterInstanceProfiles()
    {
        On("CreateInstanceProfile", async (args, context, ct) =>
        {
            var created = await _instanceProfiles.CreateAsync(context, args.Required(ProfileName), args.Get("Path"), IamValidation.Tags(args.Tags()), ct);
            return Result("CreateInstanceProfile", new XElement("InstanceProfile", Profile(created)));
        });
        On("GetInstanceProfile", async (args, context, ct) =>
            Result("GetInstanceProfile", new XElement("InstanceProfile", Profile(await _instanceProfiles.GetAsync(context, args.Required(ProfileName), ct)))));
        On("ListInstanceProfiles", async (args, context, ct) => Profiles("ListInstanceProfiles", await _instanceProfiles.ListAsync(context, args.Get("PathPrefix"), ct), args));
        On("ListInstanceProfilesForRole", async (args, context, ct) =>
            Profiles("ListInstanceProfilesForRole", await _instanceProfiles.ListForRoleAsync(context, args.Required("RoleName"), ct), args));
        On("DeleteInstanceProfile", async (args, context, ct) => await Done(_instanceProfiles.DeleteAsync(context, args.Required(ProfileName), ct)));
        On("AddRoleToInstanceProfile", async (args, context, ct) =>
            await Done(_instanceProfiles.AddRoleAsync(context, args.Required(ProfileName), args.Required("RoleName"), ct)));
        On("RemoveRoleFromInstanceProfile", async (args, context, ct) =>
            await Done(_instanceProfiles.RemoveRoleAsync(context, args.Required(ProfileName), args.Required("RoleName"), ct)));
        On("TagInstanceProfile", async (args, context, ct) =>
            await Done(_instanceProfiles.TagAsync(context, args.Required(ProfileName), IamValidation.Tags(args.Tags()), ct)));
        On("UntagInstanceProfile", async (args, context, ct) =>
            await Done(_instanceProfiles.UntagAsync(context, args.Required(ProfileName), args.List("TagKeys"), ct)));
        On("ListInstanceProfileTags", async (args, context, ct) =>
        {
            var (tags, paging) = Page(await _instanceProfiles.ListTagsAsync(context, args.Required(ProfileName), ct), args);
            return Result("ListInstanceProfileTags", Tags(tags), paging);
        });
    }

    private static XElement Profiles(string action, IReadOnlyList<InstanceProfileDetails> all, QueryArgs args)
    {
        var (profiles, paging) = Page(all, args);
        return Result(action, Members("InstanceProfiles", profiles.Select(Profile)), paging);
    }

    /// <summary>An InstanceProfile in the model's order: Path, name, id, Arn, CreateDate, Roles, Tags (when it has any).</summary>
    private static object?[] Profile(InstanceProfileDetails details) =>
    [
        E("Path", details.Profile.Path), E("InstanceProfileName", details.Profile.InstanceProfileName), E("InstanceProfileId", details.Profile.InstanceProfileId),
        E("Arn", details.Profile.Arn), E("CreateDate", details.Profile.CreateDate), Members("Roles", details.Roles.Select(r => Role(r, boundary: false))),
        details.Tags.Count > 0 ? Tags(details.Tags) : null,
    ];
}
