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
    public static async Task<bool> RunAsync(this ISnackbar snackbar, Func<Task> command)
    {
        try
        {
            await command();
            return true;
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
