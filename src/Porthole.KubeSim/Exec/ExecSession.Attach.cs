using System.Text;

namespace Porthole.KubeSim.Exec;

/// <summary>Attach: the container's main process is simulated by its output lines; input goes nowhere.</summary>
internal sealed partial class ExecSession
{
    private async Task AttachAsync(Func<string, CancellationToken, IAsyncEnumerable<string>>? containerOutput)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
        var receive = _conn.ReceiveAsync((_, _) => Task.CompletedTask, stop.Token);
        if (containerOutput is null)
        {
            await receive.ConfigureAwait(false);
            await _conn.CloseAsync(receive, _time).ConfigureAwait(false);
            return;
        }

        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var watchdog = receive.ContinueWith(_ => clientGone.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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

        await stop.CancelAsync().ConfigureAwait(false);
        await receive.ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
    }
}
