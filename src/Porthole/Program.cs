var builder = WebApplication.CreateBuilder(args);
if (!builder.AddPortholeConfiguration(args))
{
    return 2;
}

builder.AddPortholeClusters();
builder.AddPortholePipeline();
builder.AddPortholeDiagnostics();
builder.AddPortholeTerminal();
builder.AddPortholeHub();

var app = builder.Build();
app.UsePortholePipeline();
app.UsePortholeWebSockets();
app.MapPortholeDiagnostics();
app.MapPortholeApi();
app.MapPortholeTerminal();
app.MapPortholeHub();
app.MapPortholeDevelopmentEndpoints();

await app.RunAsync();
return 0;
