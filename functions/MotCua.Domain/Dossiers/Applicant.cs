using MotCua.Domain.Text;

namespace MotCua.Domain.Dossiers;

/// <summary>The citizen or organisation the dossier is for.</summary>
public sealed record Applicant(string FullName, string IdNumber, string? Phone, string? Email, string? Address)
{
    /// <summary>Field errors in both languages; empty when the applicant is acceptable.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (SafeText.Check("applicant.fullName", FullName) is { } unsafeName) errors.Add(unsafeName);
        else if (!IsPlainText(FullName, 200))
            errors.Add(new("applicant.fullName", "Họ tên bắt buộc, tối đa 200 ký tự.", "Full name is required, at most 200 characters."));
        if (!IsIdNumber(IdNumber))
            errors.Add(new("applicant.idNumber", "Số định danh gồm 9–13 chữ số (mã số thuế chi nhánh có thể thêm -NNN).", "The ID number has 9–13 digits (a branch tax code may add -NNN)."));
        if (Phone is not null && !IsPhone(Phone))
            errors.Add(new("applicant.phone", "Số điện thoại không hợp lệ.", "The phone number is not valid."));
        if (SafeText.Check("applicant.email", Email) is { } unsafeEmail) errors.Add(unsafeEmail);
        else if (Email is not null && !IsEmail(Email))
            errors.Add(new("applicant.email", "Địa chỉ email không hợp lệ.", "The email address is not valid."));
        if (SafeText.Check("applicant.address", Address) is { } unsafeAddress) errors.Add(unsafeAddress);
        else if (Address is not null && !IsPlainText(Address, 500))
            errors.Add(new("applicant.address", "Địa chỉ tối đa 500 ký tự, không để trống.", "The address is at most 500 characters, and not blank."));
        return errors;
    }

    public Applicant Normalized() => this with
    {
        FullName = VietnameseText.Normalize(FullName),
        IdNumber = IdNumber.Trim(),
        Phone = Phone?.Trim(),
        Email = Email?.Trim(),
        Address = Address is null ? null : VietnameseText.Normalize(Address),
    };

    /// <summary>Present and not too long; the characters themselves are <see cref="SafeText"/>'s to judge.</summary>
    private static bool IsPlainText(string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength;

    private static bool IsIdNumber(string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        var parts = value.Trim().Split('-');
        return parts.Length switch
        {
            1 => IsDigits(parts[0], 9, 13),
            2 => IsDigits(parts[0], 10, 10) && IsDigits(parts[1], 3, 3),
            _ => false,
        };
    }

    private static bool IsDigits(string s, int min, int max) =>
        s.Length >= min && s.Length <= max && s.All(char.IsAsciiDigit);

    private static bool IsPhone(string value)
    {
        var digits = value.Trim().TrimStart('+').Replace(" ", "", StringComparison.Ordinal);
        return IsDigits(digits, 8, 15);
    }

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return value.Length <= 254 && at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace);
    }
}

/// <summary>One reason a field was refused, said in Vietnamese and English.</summary>
public sealed record FieldError(string Field, string Vietnamese, string English);
