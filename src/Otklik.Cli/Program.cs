return await Otklik.Cli.OtklikCli.RunAsync(args, Console.Out, Console.Error);
