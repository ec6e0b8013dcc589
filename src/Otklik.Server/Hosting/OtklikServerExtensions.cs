using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Otklik.Application;
using Otklik.Application.Demo;
using Otklik.Application.Policy;
using Otklik.Application.Portal;
using Otklik.Application.Workspace;
using Otklik.Core.Calendar;
using Otklik.Server.Auth;
using Otklik.Server.Endpoints;
using Otklik.Server.Ui;
using Otklik.Server.Ui.Portal;
using Otklik.Server.Ui.Workspace;
using Prometheus;

namespace Otklik.Server.Hosting;

public static class OtklikServerExtensions
{
    public static WebApplicationBuilder AddOtklikServer(this WebApplicationBuilder builder)
    {
        var paths = ServerPaths.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(paths);
        services.AddOptions<DeskOptions>().BindConfiguration(DeskOptions.Section).ValidateDataAnnotations()
            .Validate(o => ApplicationServiceCollectionExtensions.TryFindZone(o.TimeZone) is not null, "Desk:TimeZone is not a known time zone.").ValidateOnStart();
        services.AddOtklikApplication(paths.DataDirectory, builder.Configuration.GetConnectionString("Postgres"));
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            Otklik.Redis.RedisServiceCollectionExtensions.AddOtklikRedis(services, redis);
        }
        services.AddOptions<RequesterFloodOptions>().BindConfiguration(RequesterFloodOptions.Section)
            .Validate(o => o.PerMinute is >= 1 and <= 100_000 && o.Burst is >= 1 and <= 100_000, "Limits:RequesterFlood:PerMinute and Burst must be 1–100000.").ValidateOnStart();
        services.ConfigureHttpJsonOptions(o => OtklikJson.Configure(o.SerializerOptions));
        // Prometheus gets Otklik's own meters and the request-duration histogram (rate, errors and
        // latency by route). The other per-request instruments of ASP.NET Core (routing, rate limiting,
        // authentication, authorization, active requests) cost a labelled lookup each, ten of them a
        // request — measured as 4 % of the CPU under an overload that sheds 15,000 requests a second.
        // No exemplars: they would carry trace ids nobody collects (there is no trace exporter), and looking for
        // one cost about 1.5 % of the processor per request under overload.
        Metrics.DefaultFactory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = static (_, _) => Exemplar.None };
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = i =>
            i.Meter.Name == OtklikMetrics.MeterName || (i.Meter.Name == "Microsoft.AspNetCore.Hosting" && i.Name == "http.server.request.duration"));
        // The runtime's and Kestrel's event counters stay, without the per-request events: at its default level
        // (Informational) the adapter's listener made ASP.NET Core write a RequestStart and a RequestStop event
        // for every request, and dispatch them to a listener that only wants the counters. The counters'
        // own event is written at LogAlways and passes any level.
        Metrics.ConfigureEventCounterAdapter(o => o.EventSourceSettingsProvider = _ => new EventCounterAdapterEventSourceSettings { MinimumLevel = System.Diagnostics.Tracing.EventLevel.Critical });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            if (ctx.HttpContext.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && ctx.Exception is not null)
            {
                // The store is restarting or out of connections: nothing was stored, and a retry with the same key is safe.
                ctx.HttpContext.Response.Headers.RetryAfter = "5";
                ctx.ProblemDetails.Title = "Store unavailable";
                ctx.ProblemDetails.Detail = "The store does not answer right now; nothing was stored. Retry with the same Idempotency-Key after the given seconds.";
            }
        });
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(PortalUser.Scheme, o => Cookie(o, "otklik.portal", "/portal/login", TimeSpan.FromDays(7)))
            .AddCookie(WorkspaceUser.Scheme, o => Cookie(o, "otklik.workspace", "/workspace/login", TimeSpan.FromHours(12)));
        services.AddAuthorization(o =>
        {
            Policies.Add(o);
            o.AddPolicy(PortalUser.Policy, p => p.AddAuthenticationSchemes(PortalUser.Scheme).RequireClaim(PortalUser.AccountClaim));
            o.AddPolicy(WorkspaceUser.Policy, p => p.AddAuthenticationSchemes(WorkspaceUser.Scheme).RequireRole(Roles.Agent, Roles.Supervisor));
            o.AddPolicy(WorkspaceUser.SupervisorPolicy, p => p.AddAuthenticationSchemes(WorkspaceUser.Scheme).RequireRole(Roles.Supervisor));
        });
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(paths.DataDirectory, "keys"))).SetApplicationName("Otklik");
        // Russian stays readable in the page source; markup characters are still encoded.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Ui";
            o.Conventions.AuthorizeFolder("/Portal", PortalUser.Policy);
            o.Conventions.AllowAnonymousToPage("/Portal/Login");
            o.Conventions.AuthorizeFolder("/Workspace", WorkspaceUser.Policy);
            o.Conventions.AllowAnonymousToPage("/Workspace/Login");
        });
        if (builder.Configuration.GetValue("demo", false))
        {
            services.AddSingleton<IOneTimeCodeSender, DemoCodeSender>();
        }
        else
        {
            services.AddSingleton<IOneTimeCodeSender, UnconfiguredCodeSender>();
        }
        services.AddRateLimiter(o =>
        {
            var perSecond = builder.Configuration.GetValue("Limits:ClientRequestsPerSecond", 5000);
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => ctx.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetTokenBucketLimiter(ctx.User.Identity.Name!, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond * 2,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("anonymous"));
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "1";
                await Problems.Problems.Create(StatusCodes.Status429TooManyRequests, "client-quota", "Too many requests", "This API client is over its request quota; retry after the given seconds.").ExecuteAsync(ctx.HttpContext);
            };
        });
        services.AddSingleton<Views>(); // stateless over singletons, like AppealIntake
        services.AddOptions<Otklik.Channels.Phone.PhoneOptions>().BindConfiguration(Otklik.Channels.Phone.PhoneOptions.Section)
            .Validate(o => o.Secret is null || o.Secret.Length >= 16, "Channels:Phone:Secret must have at least 16 characters.").ValidateOnStart();
        services.AddScoped<Otklik.Channels.Phone.PhoneCallInbound>();
        services.AddSingleton<Otklik.Channels.Abstractions.DecisionText>();
        services.AddOptions<Otklik.Channels.Vk.VkOptions>().BindConfiguration(Otklik.Channels.Vk.VkOptions.Section)
            .Validate(o => o.Secret is null || o.Secret.Length >= 16, "Channels:Vk:Secret must have at least 16 characters.").ValidateOnStart();
        services.AddHttpClient<Otklik.Channels.Vk.VkApiClient>(c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<Otklik.Channels.Vk.VkLinking>();
        services.AddScoped<Otklik.Channels.Vk.VkInbound>();
        services.AddScoped<Otklik.Application.Channels.IChannelSender>(sp => sp.GetRequiredService<Otklik.Channels.Vk.VkInbound>());
        services.AddOptions<Otklik.Channels.Telegram.TelegramOptions>().BindConfiguration(Otklik.Channels.Telegram.TelegramOptions.Section)
            .Validate(o => o.Mode is "webhook" or "polling", "Channels:Telegram:Mode must be webhook or polling.").ValidateOnStart();
        var telegram = builder.Configuration.GetSection(Otklik.Channels.Telegram.TelegramOptions.Section).Get<Otklik.Channels.Telegram.TelegramOptions>();
        if (telegram?.Enabled == true)
        {
            services.AddHttpClient("telegram").AddTypedClient<Telegram.Bot.ITelegramBotClient>(http =>
                new Telegram.Bot.TelegramBotClient(new Telegram.Bot.TelegramBotClientOptions(telegram.Token!, telegram.ApiBaseUrl), http));
            services.AddSingleton<Otklik.Channels.Telegram.TelegramConversations>();
            services.AddScoped<Otklik.Channels.Telegram.TelegramBot>();
            services.AddScoped<Otklik.Application.Channels.IChannelSender>(sp => sp.GetRequiredService<Otklik.Channels.Telegram.TelegramBot>());
            if (telegram.Mode == "polling")
            {
                services.AddHostedService<TelegramPollingService>();
            }
        }
        services.AddOptions<Otklik.Channels.Email.EmailOptions>().BindConfiguration(Otklik.Channels.Email.EmailOptions.Section)
            .Validate(o => !o.Enabled || MimeKit.MailboxAddress.TryParse(o.Address, out _), "Channels:Email:Address must be an e-mail address.")
            .Validate(o => o.Imap.Security is "ssl" or "starttls" or "none" && o.Smtp.Security is "ssl" or "starttls" or "none", "Channels:Email:Imap/Smtp:Security must be ssl, starttls or none.")
            .Validate(o => o.WebhookSecret is null || o.WebhookSecret.Length >= 16, "Channels:Email:WebhookSecret must have at least 16 characters.")
            .Validate(o => o.PollSeconds is >= 1 and <= 3600 && o.MaxAttempts is >= 1 and <= 100, "Channels:Email:PollSeconds must be 1–3600 and MaxAttempts 1–100.")
            .ValidateOnStart();
        services.AddScoped<Otklik.Channels.Email.EmailSender>();
        services.AddScoped<Otklik.Channels.Email.EmailInbound>();
        var email = builder.Configuration.GetSection(Otklik.Channels.Email.EmailOptions.Section).Get<Otklik.Channels.Email.EmailOptions>();
        if (email?.Sends == true)
        {
            services.AddScoped<Otklik.Application.Channels.IChannelSender>(sp => sp.GetRequiredService<Otklik.Channels.Email.EmailSender>());
        }
        if (email?.ReadsMailbox == true)
        {
            services.AddSingleton<Otklik.Channels.Email.ImapMailbox>();
            services.AddHostedService<EmailPollingService>();
        }
        services.AddSingleton<TicketPresence>();
        services.AddHostedService<DeferredAdmissionService>();
        services.AddHostedService<SlaSweepService>();
        services.AddHostedService<OutboxService>();
        services.AddHostedService<PolicySyncService>();
        services.AddHostedService<ApiKeyRefreshService>();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
            .AddCheck<CalendarHealthCheck>("calendar", tags: ["ready"])
            .AddCheck<SharedStateHealthCheck>("shared_state", tags: ["ready"]);
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Otklik API";
            doc.Info.Description = "Support desk intake: the admission gate, tickets and the marketplace directory. Authenticate with 'Authorization: Bearer <key>'.";
            return Task.CompletedTask;
        }));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        return builder;
    }

    public static WebApplication MapOtklik(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                CalendarRangeException => StatusCodes.Status422UnprocessableEntity,
                // Lost the same race on every attempt (others kept changing the ticket): busy, not broken.
                Otklik.Data.StoreConflictException => StatusCodes.Status503ServiceUnavailable,
                _ when StoreUnavailable(ex) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        var maxConcurrent = app.Configuration.GetValue("Limits:MaxConcurrentRequests", 512);
        var reserved = app.Configuration.GetValue("Limits:ReservedConcurrentRequests", maxConcurrent);
        var queued = app.Configuration.GetValue("Limits:QueuedRequests", maxConcurrent);
        var queueTimeout = app.Configuration.GetValue("Limits:QueueTimeoutMilliseconds", 100);
        if (maxConcurrent < 1 || reserved < 0 || queued < 0 || queueTimeout is < 1 or > 60_000)
        {
            throw new InvalidOperationException($"Limits:MaxConcurrentRequests must be at least 1 (is {maxConcurrent}), Limits:ReservedConcurrentRequests and Limits:QueuedRequests at least 0 (are {reserved} and {queued}), Limits:QueueTimeoutMilliseconds 1–60000 (is {queueTimeout}).");
        }
        // Shedding comes before everything a request does not need to be turned away (routing, forwarded headers):
        // a shed request should cost as little as the server can answer with.
        app.Use(next =>
        {
            var shedding = new LoadShedding(next, maxConcurrent, reserved,
                AppealCriticality.FromPolicy(app.Services.GetRequiredService<Otklik.Application.Policy.PolicyProvider>()),
                queued, TimeSpan.FromMilliseconds(queueTimeout), app.Services.GetRequiredService<TimeProvider>());
            shedding.Observe(app.Services.GetRequiredService<IMeterFactory>().Create(OtklikMetrics.MeterName));
            return shedding.InvokeAsync;
        });
        // Behind a TLS-terminating proxy on this machine, the scheme it saw decides the Secure flag of cookies.
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        foreach (var proxy in app.Configuration.GetSection("Web:TrustedProxies").Get<string[]>() ?? [])
        {
            forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }
        app.UseForwardedHeaders(forwarded);
        app.UseRouting();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot")),
        });
        app.MapRazorPages();
        app.MapUiEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Otklik v1");
            o.DocumentTitle = "Otklik API";
        });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth });
        app.MapMetrics("/metrics");
        app.MapDirectoryEndpoints();
        app.MapAppealsEndpoints();
        app.MapTicketsEndpoints();
        app.MapSlaEndpoints();
        app.MapChannelsEndpoints();
        app.MapPolicyEndpoints();
        return app;
    }

    /// <summary>Migrates the store, loads the demo marketplace when asked, and prints how to use it.</summary>
    public static async Task PrepareOtklikAsync(this WebApplication app)
    {
        await app.Services.MigrateOtklikStoreAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PolicyVersions>().SyncAsync(CancellationToken.None);
        }
        // prometheus-net listens to .NET meters only from its first collection on: start it now so
        // that nothing counted before the first scrape is lost.
        _ = app.Services.GetRequiredService<OtklikMetrics>();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null);
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await keys.BootstrapAsync(scope.ServiceProvider.GetRequiredService<Otklik.Application.Access.ApiKeys>(), app.Configuration.GetValue("demo", false), Console.Out, CancellationToken.None);
        }
        if (app.Configuration.GetValue("demo", false))
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var seeded = await scope.ServiceProvider.GetRequiredService<DemoMarketplace>().SeedIfEmptyAsync(
                    app.Lifetime.ApplicationStopping,
                    app.Configuration.GetValue("Demo:Buyers", DemoMarketplace.Buyers),
                    app.Configuration.GetValue("Demo:Sellers", DemoMarketplace.Sellers));
                if (seeded is not null)
                {
                    app.Logger.LogInformation("Demo marketplace loaded: {Accounts} accounts, {Orders} orders, {Identities} identities", seeded.Accounts, seeded.Orders, seeded.Identities);
                }
            }
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var agents = scope.ServiceProvider.GetRequiredService<AgentDirectory>();
                await agents.CreateAsync(DemoAgentName, "Ольга (демо-агент)", DemoAgentPassword, Roles.Agent, app.Lifetime.ApplicationStopping);
                await agents.CreateAsync(DemoSupervisorName, "Марина (демо-супервайзер)", DemoAgentPassword, Roles.Supervisor, app.Lifetime.ApplicationStopping);
            }
            app.Lifetime.ApplicationStarted.Register(() => DemoBanner.Print(app.Services.GetRequiredService<IServer>(), keys, app.Services.GetRequiredService<ServerPaths>(), Console.Out));
        }
        _ = app.Services.GetRequiredService<IOptions<DeskOptions>>().Value;
    }

    /// <summary>The demo's workspace logins (demo data only; real agents are created by a supervisor).</summary>
    public const string DemoAgentName = "agent";
    public const string DemoSupervisorName = "supervisor";
    public const string DemoAgentPassword = "otklik-demo";

    private static void Cookie(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions o, string name, string loginPath, TimeSpan lifetime)
    {
        o.Cookie.Name = name;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.LoginPath = loginPath;
        o.ExpireTimeSpan = lifetime;
        o.SlidingExpiration = true;
    }

    /// <summary>An outage of the store (a restart, no connections, a timeout), as opposed to a bug: worth a 503 and a retry.</summary>
    public static bool StoreUnavailable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            // Npgsql marks connection loss and "too many connections" as transient; the SQLite provider, busy and locked.
            if (e is TimeoutException or System.Net.Sockets.SocketException or System.IO.IOException or System.Data.Common.DbException { IsTransient: true }
                || e is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08006" or "08001" })
            {
                return true;
            }
        }
        return false;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        });
    }
}
