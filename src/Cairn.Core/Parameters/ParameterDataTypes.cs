using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>The data types a parameter may declare; <c>text</c> unless told otherwise.</summary>
public static class ParameterDataTypes
{
    public const string Text = "text";
    public const string Ec2Image = "aws:ec2:image";
    public const string SsmIntegration = "aws:ssm:integration";

    public static bool IsValid(string dataType) => dataType is Text or Ec2Image or SsmIntegration;

    public static void Validate(string? dataType)
    {
        if (dataType is not null && !IsValid(dataType))
        {
            throw AwsErrors.UnsupportedDataType(dataType);
        }
    }
}
