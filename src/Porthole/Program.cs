if (Porthole.Hosting.Commands.TryRun(args, Console.In, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
if (!builder.AddPortholeConfiguration(args))
{
    return 2;
}

builder.AddPortholeFeatures();

var app = builder.Build();
app.UsePortholePipeline();
app.MapPortholeEndpoints();
app.MapPortholeDevelopmentEndpoints();

await app.RunAsync();
return 0;
