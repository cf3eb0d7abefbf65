var builder = WebApplication.CreateBuilder(args);
if (!builder.AddPortholeConfiguration(args))
{
    return 2;
}

builder.AddPortholeClusters();
builder.AddPortholePipeline();
builder.AddPortholeDiagnostics();
builder.AddPortholeHub();

var app = builder.Build();
app.UsePortholePipeline();
app.MapPortholeDiagnostics();
app.MapPortholeApi();
app.MapPortholeHub();

await app.RunAsync();
return 0;
