using System.Text;

namespace Porthole.KubeSim.Exec;

/// <summary>Attach: the container's main process is simulated by its output lines; input goes nowhere.</summary>
internal sealed partial class ExecSession
{
    private async Task AttachAsync(Func<string, CancellationToken, IAsyncEnumerable<string>>? containerOutput)
    {
        var receive = _conn.ReceiveAsync((_, _) => Task.CompletedTask, _aborted);
        if (containerOutput is null)
        {
            await receive.ConfigureAwait(false);
            await _conn.CloseAsync(receive, _time).ConfigureAwait(false);
            return;
        }

        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
        var watchdog = receive.ContinueWith(_ => CancelQuietly(clientGone), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var newline = _options.Tty ? "\r\n" : "\n";
        try
        {
            await foreach (var line in containerOutput(_options.Container, clientGone.Token).WithCancellation(clientGone.Token).ConfigureAwait(false))
            {
                if (_options.Stdout)
                {
                    await _conn.SendAsync(ExecProtocol.Stdout, Encoding.UTF8.GetBytes(line + newline), clientGone.Token).ConfigureAwait(false);
                }
            }

            // The main process ended: the attach ends as it does for a real container.
            if (!receive.IsCompleted)
            {
                await FinishAsync(ExecStatus.Success(), receive).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (clientGone.IsCancellationRequested)
        {
        }

        if (receive.IsCompleted)
        {
            await watchdog.ConfigureAwait(false);
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attach already ended.
        }
    }
}
