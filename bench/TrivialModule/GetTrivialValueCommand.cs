using System.Management.Automation;

namespace TrivialModule
{
    /// <summary>The one cmdlet of the trivial module: writes its -Value back.</summary>
    [Cmdlet(VerbsCommon.Get, "TrivialValue")]
    [OutputType(typeof(string))]
    public sealed class GetTrivialValueCommand : PSCmdlet
    {
        [Parameter(Position = 0)]
        public string Value { get; set; } = "trivial";

        protected override void ProcessRecord() => WriteObject(Value);
    }
}
