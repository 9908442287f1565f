using FluentValidation;
using Portal.Asterisk.Sip;

namespace Portal.Web.Data;

public static class RealtimeValueRule
{
    /// <summary>Asterisk reads the stored value as typed: the one rule on ^ for every realtime column but appdata
    /// (<see cref="RealtimeValue.ReadBackProblem"/>).</summary>
    public static IRuleBuilderOptions<T, string> ReadsBackAsTyped<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(v => RealtimeValue.ReadBackProblem(v ?? "") is null)
            .WithMessage((_, v) => RealtimeValue.ReadBackProblem(v ?? "") ?? "");
}
