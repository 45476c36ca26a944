using System;
using System.Management.Automation;

namespace NetworkAsCode.Infrastructure
{
    /// <summary>
    /// Lets a -Device parameter say what to do instead of PowerShell's generic "cannot be bound": a string
    /// (a phone number, an address) is not a device yet, so the message names New-NacDevice. With
    /// <see cref="AcceptSession"/>, a piped session stands for its device.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DeviceArgumentAttribute : ArgumentTransformationAttribute
    {
        /// <summary>A QodSession given to the parameter binds as the session's Device.</summary>
        public bool AcceptSession { get; set; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case QodSession session when AcceptSession:
                    return session.Device ?? throw new ArgumentTransformationMetadataException(
                        $"QoD session {session.SessionId} does not say which device it belongs to: get it with Get-NacQodSession -SessionId {session.SessionId}, or pipe the device itself.");
                case QodSession session:
                    throw new ArgumentTransformationMetadataException(
                        $"-Device takes a device, not QoD session {session.SessionId}: pipe its device ($session.Device), or use the session with Update-NacQodSession or Remove-NacQodSession.");
                case string text:
                    throw new ArgumentTransformationMetadataException(
                        $"-Device takes a device object, not the string '{text}': build one with New-NacDevice (e.g. New-NacDevice -PhoneNumber '{text}') " +
                        "and pipe that; for a CSV file: Import-Csv devices.csv | New-NacDevice | ...");
                default:
                    return inputData;
            }
        }
    }
}
