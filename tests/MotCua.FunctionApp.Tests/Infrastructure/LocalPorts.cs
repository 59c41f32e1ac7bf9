using System.Net.Sockets;

namespace MotCua.FunctionApp.Tests.Infrastructure;

public static class LocalPorts
{
    /// <summary>Whether something accepts connections on every one of these loopback ports.</summary>
    public static async Task<bool> AllListeningAsync(params int[] ports)
    {
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    }
}
