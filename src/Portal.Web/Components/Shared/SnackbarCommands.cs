using MudBlazor;
using Portal.Web.Data;
using ValidationException = FluentValidation.ValidationException;

namespace Portal.Web.Components.Shared;

public static class SnackbarCommands
{
    /// <summary>
    /// Runs a command from a page and turns what the server refused (validation, authorization, a refused write)
    /// into messages. Returns whether it succeeded; anything else is a bug and propagates.
    /// </summary>
    public static Task<bool> RunAsync(this ISnackbar snackbar, Func<Task> command) => snackbar.RunAsync(command, null);

    /// <param name="onConflict">Shows a save refused because someone changed the row since the form was opened, so the
    /// user can choose: reload theirs or overwrite with theirs as the new original.</param>
    public static async Task<bool> RunAsync(this ISnackbar snackbar, Func<Task> command, Action<EditConflictException>? onConflict)
    {
        try
        {
            await command();
            return true;
        }
        catch (EditConflictException e) when (onConflict is not null)
        {
            onConflict(e);
        }
        catch (ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                snackbar.Add(error.ErrorMessage, Severity.Error);
            }
        }
        catch (Exception e) when (e is WriteRefusedException or AccessDeniedException)
        {
            snackbar.Add(e.Message, Severity.Error);
        }
        return false;
    }
}
