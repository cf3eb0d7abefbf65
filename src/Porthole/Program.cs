if (Porthole.Hosting.Commands.TryRun(args, Console.In, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
if (!builder.AddPortholeConfiguration(args))
{
    return 2;
}

builder.AddPortholeClusters();
builder.AddPortholeStorage();
builder.AddPortholeAuth();
builder.AddPortholePipeline();
builder.AddPortholeDiagnostics();
builder.AddPortholeTerminal();
builder.AddPortholeHub();

var app = builder.Build();
app.UsePortholePipeline();
app.MapPortholeDiagnostics();
app.MapPortholeApi();
app.MapPortholeAuth();
app.MapPortholePreferences();
app.MapPortholeAudit();
app.MapPortholeTerminal();
app.MapPortholeHub();
app.MapPortholeDevelopmentEndpoints();

await app.RunAsync();
return 0;
