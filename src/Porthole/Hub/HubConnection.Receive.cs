using System.Buffers;
using System.Net.WebSockets;
using System.Text.RegularExpressions;

namespace Porthole.Hub;

internal sealed partial class HubConnection
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>Reads whole messages until the client closes; an oversized one closes with 1009.</summary>
    private async Task ReceiveLoopAsync()
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var message = new ArrayBufferWriter<byte>(ChunkBytes);
        var tooBig = false;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(chunk.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (!tooBig && message.WrittenCount + result.Count > _options.MaxMessageBytes)
                {
                    tooBig = true;
                    SendError(null, HubErrors.MessageTooBig, $"messages are limited to {_options.MaxMessageBytes} bytes");
                    _ = CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message over {_options.MaxMessageBytes} bytes");
                }

                if (tooBig || _closing is not null)
                {
                    continue; // discard until the client answers our close
                }

                message.Write(chunk.AsSpan(0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    SendError(null, HubErrors.BinaryFrame, "the hub speaks JSON text frames only");
                }
                else
                {
                    await HandleAsync(message.WrittenMemory);
                }

                message.ResetWrittenCount();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> utf8)
    {
        if (!_rate.TryAcquire())
        {
            if (_rate.RefusedThisSecond > _options.RateAbuseLimit)
            {
                _ = CloseAsync(WebSocketCloseStatus.PolicyViolation, "message rate limit exceeded persistently");
            }
            else if (_rate.RefusedThisSecond % 50 == 1)
            {
                SendError(null, HubErrors.RateLimited, $"more than {_options.RateLimit} messages/s (burst {_options.RateBurst}): message dropped");
            }

            return;
        }

        HubFrame.Incoming? message = null;
        try
        {
            message = HubFrame.Parse(utf8);
            await DispatchAsync(message);
        }
        catch (HubProtocolException e)
        {
            SendError(message?.Channel, e.Code, e.Message);
        }
    }

    private async Task DispatchAsync(HubFrame.Incoming message)
    {
        switch (message.Type)
        {
            case HubMessageTypes.Ping:
                _sender.TryEnqueue(HubFrame.Write(HubMessageTypes.Pong, SessionId, null, default, _time.GetUtcNow()));
                break;
            case HubMessageTypes.Pong:
                Interlocked.Exchange(ref _lastPong, _time.GetTimestamp());
                break;
            case HubMessageTypes.Subscribe:
                Subscribe(RequireChannel(message), message);
                break;
            case HubMessageTypes.Unsubscribe:
                await UnsubscribeAsync(RequireChannel(message));
                break;
            case HubMessageTypes.TerminalInput or HubMessageTypes.TerminalResize:
                var name = RequireChannel(message);
                if (!_channels.TryGetValue(name, out var entry))
                {
                    throw new HubProtocolException(HubErrors.NotSubscribed, $"channel {name} is not open");
                }

                await entry.Channel.InputAsync(message.Type, message.Payload, entry.Stop.Token);
                break;
            default:
                throw new HubProtocolException(HubErrors.UnknownType, $"unknown message type \"{message.Type}\"");
        }
    }

    private void Subscribe(string name, HubFrame.Incoming message)
    {
        if (_channels.ContainsKey(name))
        {
            throw new HubProtocolException(HubErrors.AlreadySubscribed, $"channel {name} is already open");
        }

        if (_channels.Count >= _options.MaxChannels)
        {
            throw new HubProtocolException(HubErrors.TooManyChannels, $"at most {_options.MaxChannels} channels per connection");
        }

        var channel = _factory.Create(name, message.Payload, this);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = new ChannelEntry(channel, stop, RunChannelAsync(name, channel, started.Task, stop));
        _channels[name] = entry;
        started.SetResult();
    }

    private async Task RunChannelAsync(string name, Channels.IHubChannel channel, Task started, CancellationTokenSource stop)
    {
        await started;
        try
        {
            await channel.RunAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // unsubscribed or closing
        }
        catch (HubProtocolException e)
        {
            SendError(name, e.Code, e.Message);
        }
        catch (Exception e)
        {
            HubLog.ChannelFailed(_logger, SessionId, name, e);
            SendError(name, "internal_error", "the channel failed; see the server log");
        }
        finally
        {
            if (_channels.TryGetValue(name, out var entry) && entry.Channel == channel)
            {
                _channels.TryRemove(name, out _);
            }

            stop.Dispose();
        }
    }

    private async Task UnsubscribeAsync(string name)
    {
        if (!_channels.TryRemove(name, out var entry))
        {
            throw new HubProtocolException(HubErrors.NotSubscribed, $"channel {name} is not open");
        }

        try
        {
            await entry.Stop.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // the channel had just ended by itself
        }

        await entry.Run;
    }

    private static string RequireChannel(HubFrame.Incoming message) =>
        message.Channel is { } name && ChannelName().IsMatch(name)
            ? name
            : throw new HubProtocolException(HubErrors.UnknownChannel,
                message.Channel is null ? $"{message.Type} needs a \"channel\"" : $"channel \"{Truncate(message.Channel)}\" is not watch:<id>, logs:<id> or terminal:<id> (id: 1-128 of A-Z a-z 0-9 . _ - : /)");

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex("^(watch|logs|terminal):[A-Za-z0-9._:/-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelName();
}
