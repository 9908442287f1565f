using Portal.Benchmarks;

var tiny = args.Contains("--tiny");
var sizes = tiny ? Sizes.Tiny : Sizes.Full;
if (!args.Contains("--no-seed"))
{
    await Seeder.SeedAsync(sizes, Console.Out);
}
return 0;
