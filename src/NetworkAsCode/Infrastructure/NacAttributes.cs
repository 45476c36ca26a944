using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Security;

namespace NetworkAsCode.Infrastructure
{
    /// <summary>The client-side rules a parameter can carry; the text of each lives in <see cref="NacValidation"/>.</summary>
    public enum NacRule
    {
        PhoneNumber,
        Ipv4,
        Ipv6,
        ServiceIpv4,
        ServiceIpv6,
        Port,
        Profile,
        Duration,
        Extension,
        SessionId,
        NotificationUrl,
        FutureTime,
    }

    /// <summary>
    /// Checks a parameter value (each element of an array) with the module's rule, so that a bad value
    /// fails at binding, before any request, with a message that names the parameter and the rule.
    /// Empty strings pass: they mean "not given" (an empty CSV column).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateNacAttribute : ValidateArgumentsAttribute
    {
        public ValidateNacAttribute(NacRule rule, string parameter)
        {
            Rule = rule;
            Parameter = parameter;
        }

        public NacRule Rule { get; }
        public string Parameter { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value == null) return; // "not given": an empty CSV cell after [EmptyAsNull]
            if (value is IEnumerable list && !(value is string))
            {
                foreach (object? item in list) ValidateOne(item);
                return;
            }
            ValidateOne(value);
        }

        private void ValidateOne(object? element)
        {
            object? value = element is PSObject wrapped ? wrapped.BaseObject : element;
            if (value == null) throw new ValidationMetadataException($"{Parameter} must not contain a null value.");
            string? error = Check(value);
            if (error != null) throw new ValidationMetadataException(error);
        }

        private string? Check(object value)
        {
            if (value is string text && text.Length == 0 && Rule != NacRule.SessionId && Rule != NacRule.Profile) return null;
            switch (Rule)
            {
                case NacRule.PhoneNumber: return NacValidation.CheckPhoneNumber(Parameter, value as string);
                case NacRule.Ipv4: return NacValidation.CheckIpv4(Parameter, value as string);
                case NacRule.Ipv6: return NacValidation.CheckIpv6(Parameter, value as string);
                case NacRule.ServiceIpv4: return NacValidation.CheckServiceIpv4(Parameter, value as string);
                case NacRule.ServiceIpv6: return NacValidation.CheckServiceIpv6(Parameter, value as string);
                case NacRule.Port: return NacValidation.CheckPort(Parameter, Convert.ToInt32(value));
                case NacRule.Profile: return NacValidation.CheckProfile(Parameter, value as string);
                case NacRule.Duration: return NacValidation.CheckDuration(Parameter, Convert.ToInt64(value));
                case NacRule.Extension: return NacValidation.CheckExtension(Parameter, Convert.ToInt64(value));
                case NacRule.SessionId: return NacValidation.CheckSessionId(Parameter, value as string);
                case NacRule.NotificationUrl: return NacValidation.CheckNotificationUrl(Parameter, value as string);
                case NacRule.FutureTime: return NacValidation.CheckFutureTime(Parameter, value as DateTimeOffset?, DateTimeOffset.UtcNow);
                default: return null;
            }
        }
    }

    /// <summary>Lets a SecureString parameter take a plain string too (converted at once, never kept as text).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string text) return ToSecure(text);
            // For a SecureString[] parameter: each string of a list becomes a SecureString.
            if (value is System.Collections.IList list && !(value is SecureString[]))
            {
                var items = new object[list.Count];
                for (int i = 0; i < list.Count; i++)
                {
                    object? item = list[i] is PSObject w ? w.BaseObject : list[i];
                    items[i] = item is string s ? ToSecure(s) : item!;
                }
                return items;
            }
            return inputData;
        }

        private static SecureString ToSecure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }

    /// <summary>Turns an empty or blank string into null before conversion, so an empty CSV cell is "not given" (not port 0).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
        }
    }

    /// <summary>
    /// Converts a parameter's value to the parameter's type (or array of it) before PowerShell would, so that a value
    /// that cannot be converted, such as a reversed port range or an unknown environment, fails at binding with
    /// ParameterArgumentTransformationError and a message that states the rule, rather than PowerShell's generic
    /// CannotConvertArgumentNoMessage. Enum names match case-insensitively and culture-invariantly.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ConvertOrExplainAttribute : ArgumentTransformationAttribute
    {
        public ConvertOrExplainAttribute(Type targetType, string parameter)
        {
            TargetType = targetType;
            Parameter = parameter;
        }

        public Type TargetType { get; }
        public string Parameter { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value == null || TargetType.IsInstanceOfType(value)) return inputData;
            if (!TargetType.IsArray) return ConvertOne(value, TargetType);
            Type elementType = TargetType.GetElementType()!;
            var items = new List<object?>();
            if (value is IEnumerable list && !(value is string))
                foreach (object? item in list) items.Add(ConvertOne(item, elementType));
            else
                items.Add(ConvertOne(value, elementType));
            var array = Array.CreateInstance(elementType, items.Count);
            for (int i = 0; i < items.Count; i++) array.SetValue(items[i], i);
            return array;
        }

        private object? ConvertOne(object? item, Type type)
        {
            object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
            if (value == null || type.IsInstanceOfType(value)) return value;
            if (type.IsEnum && value is string name)
            {
                foreach (string known in Enum.GetNames(type))
                    if (string.Equals(known, name.Trim(), StringComparison.OrdinalIgnoreCase)) return Enum.Parse(type, known);
                throw new ArgumentTransformationMetadataException(
                    $"{Parameter} '{name}' is not a valid value: use one of {string.Join(", ", Enum.GetNames(type))}.");
            }
            try
            {
                return LanguagePrimitives.ConvertTo(value, type, CultureInfo.InvariantCulture);
            }
            catch (PSInvalidCastException e)
            {
                throw new ArgumentTransformationMetadataException(RuleMessage(e) ?? $"{Parameter} '{value}' is not a valid {type.Name}.", e);
            }
        }

        /// <summary>The module's own rule text from a failed conversion (a NacValidationException inside), if any.</summary>
        private static string? RuleMessage(Exception e)
        {
            for (Exception? inner = e; inner != null; inner = inner.InnerException)
                if (inner is NacValidationException rule) return rule.Message;
            return null;
        }
    }
}
