namespace Cairn.Application.Builds.Execution;

/// <summary>
/// An <c>aws</c> first on a build's PATH that runs the next <c>aws</c> on PATH with <c>--endpoint-url
/// "$AWS_ENDPOINT_URL"</c>, unless the command names an endpoint itself: aws CLI v2 before 2.13 (Debian 12 ships
/// 2.9) ignores AWS_ENDPOINT_URL, and a build's plain <c>aws ...</c> must reach Cairn with the role's credentials.
/// </summary>
internal static class AwsCliShim
{
    private const string Script = """
        #!/bin/sh
        # Cairn: `aws` in a build talks to Cairn. aws CLI versions before 2.13 ignore AWS_ENDPOINT_URL, so this adds
        # --endpoint-url "$AWS_ENDPOINT_URL" unless the command names an endpoint, then runs the next aws on PATH.
        here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
        real=
        saved_ifs=$IFS
        IFS=:
        for dir in $PATH; do
          [ "$dir" = "$here" ] && continue
          if [ -x "$dir/aws" ]; then real="$dir/aws"; break; fi
        done
        IFS=$saved_ifs
        if [ -z "$real" ]; then echo "aws: command not found (no aws CLI on PATH besides Cairn's endpoint shim)" >&2; exit 127; fi
        for arg in "$@"; do
          case $arg in --endpoint-url|--endpoint-url=*) exec "$real" "$@" ;; esac
        done
        if [ -n "${AWS_ENDPOINT_URL:-}" ]; then exec "$real" --endpoint-url "$AWS_ENDPOINT_URL" "$@"; fi
        exec "$real" "$@"

        """;

    /// <summary>Writes the shim into <paramref name="directory"/> (created if needed) and returns the directory.</summary>
    public static string Write(string directory)
    {
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var path = Path.Combine(directory, "aws");
        File.WriteAllText(path, Script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return directory;
    }
}
