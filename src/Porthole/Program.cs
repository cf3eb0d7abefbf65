var builder = WebApplication.CreateBuilder(args);
if (!builder.AddPortholeConfiguration(args))
{
    return 2;
}

builder.AddPortholeClusters();
builder.AddPortholePipeline();
builder.AddPortholeDiagnostics();
builder.AddPortholeTerminal();

var app = builder.Build();
app.UsePortholePipeline();
app.MapPortholeDiagnostics();
app.MapPortholeApi();
app.MapPortholeTerminal();
app.MapPortholeDevelopmentEndpoints();

await app.RunAsync();
return 0;
