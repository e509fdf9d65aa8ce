using System.Collections.Concurrent;
using System.Text.Json;
using Alerts.Core.Digests;
using Alerts.Core.Email;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.IntegrationTests.Digests;

/// <summary>Digests are never lost and never sent twice; email that people can trust.</summary>
public sealed class DigestTests(AzuriteFixture azurite, PrismFixture prism) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Stores the seed matches and one confirmed subscriber.</summary>
    private static async Task<FeedServer> PrepareAsync(ServiceProvider services, string email = "reader@example.com", string cadence = "daily@08")
    {
        var server = await FeedServer.StartAsync();
        var url = server.Serve("/seeds.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://seeds.test"));
        await services.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        await services.GetRequiredService<SubscriberStore>().UpsertAsync(email, "Reader", ["default"], cadence, confirmed: true, Ct);
        await services.GetRequiredService<PollService>().RunOnceAsync(null, Ct);
        return server;
    }

    [Fact]
    public async Task SendDue_TimerFiresTwiceAtOnce_OneDigestAccepted()
    {
        var recorder = new SendGridRecorder();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, prism.BaseUrl), recorder);
        await using var server = await PrepareAsync(services);
        var digests = services.GetRequiredService<DigestService>();

        var runs = await Task.WhenAll(digests.SendDueAsync(true, null, Ct), digests.SendDueAsync(true, null, Ct));
        var later = await digests.SendDueAsync(true, null, Ct);

        Assert.Equal(1, runs.Sum(r => r.Sent));
        Assert.Equal(0, later.Sent);
        var accepted = Assert.Single(recorder.Exchanges);
        Assert.Equal(202, accepted.Status);
        Assert.Null(accepted.Violations);
    }

    [Fact]
    public async Task SendDue_CrashAfterSendBeforeRecord_NotSentAgain()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var crash = new CrashingSender(crashAfterSend: true);
        await using var services = Build(TestServices.Settings(azurite.ConnectionString, null, outbox), clock, crash);
        await using var server = await PrepareAsync(services);
        var digests = services.GetRequiredService<DigestService>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => digests.SendDueAsync(true, null, Ct));
        var withinClaim = await digests.SendDueAsync(true, null, Ct);
        clock.Advance(DigestService.ClaimLifetime + TimeSpan.FromMinutes(1));
        var afterClaim = await digests.SendDueAsync(true, null, Ct);
        var again = await digests.SendDueAsync(true, null, Ct);

        Assert.Equal(1, crash.Sends);
        Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        Assert.Equal(0, withinClaim.Sent + afterClaim.Sent + again.Sent);
        var subscriber = Assert.Single(await services.GetRequiredService<SubscriberStore>().ListAsync(Ct));
        var record = Assert.Single(await services.GetRequiredService<DigestStore>().ListAsync(subscriber.RowKey, Ct));
        Assert.Equal(DigestStatus.Sent, record.Status);
        Assert.Equal(record.UpTo, subscriber.Watermark);
    }

    [Fact]
    public async Task SendDue_CrashAfterClaimBeforeSend_SentAfterTheClaimExpires()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var crash = new CrashingSender(crashAfterSend: false);
        await using var services = Build(TestServices.Settings(azurite.ConnectionString, null, outbox), clock, crash);
        await using var server = await PrepareAsync(services);
        var digests = services.GetRequiredService<DigestService>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => digests.SendDueAsync(true, null, Ct));
        clock.Advance(DigestService.ClaimLifetime + TimeSpan.FromMinutes(1));
        var recovered = await digests.SendDueAsync(true, null, Ct);
        var again = await digests.SendDueAsync(true, null, Ct);

        Assert.Equal(1, recovered.Sent);
        Assert.Equal(0, again.Sent);
        Assert.Single(Directory.GetFiles(outbox, "*.eml"));
    }

    [Fact]
    public async Task SendDue_ServerErrorThenRecovery_SentExactlyOnce()
    {
        await using var sendgrid = await FeedServer.StartAsync();
        var accepted = 0;
        var failing = true;
        sendgrid.Handle("/v3/mail/send", context =>
        {
            if (Volatile.Read(ref failing))
            {
                context.Response.StatusCode = 500;
                return Task.CompletedTask;
            }

            Interlocked.Increment(ref accepted);
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, sendgrid.BaseUrl));
        await using var server = await PrepareAsync(services);
        var digests = services.GetRequiredService<DigestService>();

        var first = await digests.SendDueAsync(true, null, Ct);
        Volatile.Write(ref failing, false);
        var second = await digests.SendDueAsync(true, null, Ct);
        var third = await digests.SendDueAsync(true, null, Ct);

        Assert.Equal((0, 1), (first.Sent, first.Failed));
        Assert.Contains("SendGrid answered 500", first.Errors.Single());
        Assert.Equal(SendGridEmailSender.MaxAttempts + 1, sendgrid.Requests); // 4 tries, then the next run's one
        Assert.Equal((1, 0), (second.Sent, third.Sent));
        Assert.Equal(1, accepted);
    }

    [Fact]
    public async Task SendDue_TooManyRequestsWithRetryAfter_RetriedThenAccepted()
    {
        await using var sendgrid = await FeedServer.StartAsync();
        var times = new ConcurrentQueue<DateTimeOffset>();
        sendgrid.Handle("/v3/mail/send", context =>
        {
            times.Enqueue(DateTimeOffset.UtcNow);
            if (times.Count == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            }

            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, sendgrid.BaseUrl));
        await using var server = await PrepareAsync(services);

        var result = await services.GetRequiredService<DigestService>().SendDueAsync(true, null, Ct);

        Assert.Equal(1, result.Sent);
        var at = times.ToArray();
        Assert.Equal(2, at.Length);
        Assert.True(at[1] - at[0] >= TimeSpan.FromMilliseconds(900), $"retried after {(at[1] - at[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task SendDue_RetryAfterLongerThanARunWaits_FailsNowSentNextRun()
    {
        await using var sendgrid = await FeedServer.StartAsync();
        var calls = 0;
        sendgrid.Handle("/v3/mail/send", context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 429 : 202;
            context.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        });
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, sendgrid.BaseUrl));
        await using var server = await PrepareAsync(services);
        var digests = services.GetRequiredService<DigestService>();

        var first = await digests.SendDueAsync(true, null, Ct);
        var second = await digests.SendDueAsync(true, null, Ct);

        Assert.Equal((0, 1), (first.Sent, first.Failed)); // not waited for two minutes inside the run
        Assert.Equal(1, second.Sent);
        Assert.Equal(2, sendgrid.Requests);
    }

    [Fact]
    public async Task Digest_HostileFeedText_ArrivesEscaped()
    {
        await using var feedServer = await FeedServer.StartAsync();
        var rss = $"""
            <?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
            <item><title>Russia ships oil to North Korea &lt;script&gt;alert(1)&lt;/script&gt;
            Bcc: victim@example.com</title><link>javascript:alert(document.cookie)</link><guid>evil-1</guid>
            <description>&lt;img src=x onerror=alert(2)&gt;Tankers delivered diesel from Vostochny to Nampo.</description></item></channel></rss>
            """;
        var url = feedServer.Serve("/evil.xml", "application/rss+xml", System.Text.Encoding.UTF8.GetBytes(rss));
        var recorder = new SendGridRecorder();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, prism.BaseUrl), recorder);
        await services.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        await services.GetRequiredService<SubscriberStore>().UpsertAsync("reader@example.com", null, ["default"], "immediate", confirmed: true, Ct);

        var (poll, digests) = await services.GetRequiredService<PollCycle>().RunAsync(null, Ct);

        Assert.Equal(1, poll.NewMatches);
        Assert.Equal(1, digests.Sent); // immediate cadence: within the same cycle
        var exchange = Assert.Single(recorder.Exchanges);
        Assert.Equal(202, exchange.Status);
        using var mail = JsonDocument.Parse(exchange.Body);
        var subject = mail.RootElement.GetProperty("subject").GetString()!;
        var html = mail.RootElement.GetProperty("content").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "text/html").GetProperty("value").GetString()!;
        Assert.DoesNotContain('\n', subject);
        Assert.DoesNotContain('\r', subject);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        var headers = mail.RootElement.GetProperty("personalizations")[0].GetProperty("headers");
        Assert.StartsWith("<http://127.0.0.1:7071/api/unsubscribe?token=", headers.GetProperty("List-Unsubscribe").GetString());
        Assert.Equal("List-Unsubscribe=One-Click", headers.GetProperty("List-Unsubscribe-Post").GetString());
    }

    [Fact]
    public async Task Subscribe_ConfirmUnsubscribe_DoubleOptInRoundTrip()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N"));
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null, outbox));
        var handler = services.GetRequiredService<Alerts.Core.Api.SubscriptionHandler>();
        var store = services.GetRequiredService<SubscriberStore>();

        var subscribe = await Call(services, "POST", "/api/subscribe", """{"email":"new@example.com","cadence":"daily@07","timeZone":"Europe/Berlin"}""", r => handler.SubscribeAsync(r, Ct));
        var pending = await store.GetAsync("new@example.com", Ct);
        var eml = await MimeKit.MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(outbox, "*.eml")), Ct);
        var confirmUrl = new Uri(System.Text.RegularExpressions.Regex.Match(eml.TextBody ?? "", @"http\S+/api/confirm\?token=\S+").Value);
        var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(confirmUrl.Query)["token"].ToString();
        var confirm = await Call(services, "GET", "/api/confirm?token=" + Uri.EscapeDataString(token), null, r => handler.ConfirmAsync(r, Ct));
        var confirmed = await store.GetAsync("new@example.com", Ct);
        var forged = await Call(services, "GET", "/api/confirm?token=" + Uri.EscapeDataString(token[..^2] + "xx"), null, r => handler.ConfirmAsync(r, Ct));
        var unsubscribeToken = services.GetRequiredService<TokenService>().Create(TokenPurpose.Unsubscribe, "new@example.com", TimeSpan.FromDays(1));
        var page = await Call(services, "GET", "/api/unsubscribe?token=" + unsubscribeToken, null, r => Task.FromResult(handler.UnsubscribePage(r)));
        var stillThere = await store.GetAsync("new@example.com", Ct);
        var oneClick = await Call(services, "POST", "/api/unsubscribe?token=" + unsubscribeToken, "List-Unsubscribe=One-Click", r => handler.UnsubscribeAsync(r, Ct), "application/x-www-form-urlencoded");
        var gone = await store.GetAsync("new@example.com", Ct);
        var confirmTokenCannotUnsubscribe = await Call(services, "POST", "/api/unsubscribe?token=" + Uri.EscapeDataString(token), "", r => handler.UnsubscribeAsync(r, Ct));

        Assert.Equal(202, subscribe.Status);
        Assert.False(pending!.Confirmed);
        Assert.Equal(("daily@07", "Europe/Berlin"), (pending.Cadence, pending.TimeZone));
        Assert.Equal(200, confirm.Status);
        Assert.True(confirmed!.Confirmed);
        Assert.Equal(400, forged.Status);
        Assert.Equal(200, page.Status);
        Assert.Contains("<form method=\"post\"", page.Body);
        Assert.NotNull(stillThere); // opening the link (or a mail scanner) does not unsubscribe
        Assert.Equal(200, oneClick.Status);
        Assert.Null(gone);
        Assert.Equal(400, confirmTokenCannotUnsubscribe.Status);
    }

    [Fact]
    public async Task Subscribe_ConfirmationEmail_AcceptedByPrism()
    {
        var recorder = new SendGridRecorder();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, prism.BaseUrl), recorder);

        await services.GetRequiredService<SubscriptionService>().SubscribeAsync(new SubscriptionRequest("prism@example.com", "P", null, "immediate", "Asia/Seoul"), Ct);

        var exchange = Assert.Single(recorder.Exchanges);
        Assert.Equal(202, exchange.Status);
        Assert.Null(exchange.Violations);
        Assert.Contains("/api/confirm?token=", exchange.Body);
    }

    [Theory]
    [InlineData("""{"email":"not-an-address"}""", "email")]
    [InlineData("""{"email":"a@example.com","watchlists":["nope"]}""", "watchlists")]
    [InlineData("""{"email":"a@example.com","watchlists":"default"}""", "watchlists")]
    [InlineData("""{"email":"a@example.com","cadence":"hourly"}""", "cadence")]
    [InlineData("""{"email":"a@example.com","timeZone":"Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"email":5}""", "email")]
    public async Task Subscribe_BadRequest_ProblemNamingTheField(string json, string field)
    {
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var handler = services.GetRequiredService<Alerts.Core.Api.SubscriptionHandler>();

        var result = await Call(services, "POST", "/api/subscribe", json, r => handler.SubscribeAsync(r, Ct));

        Assert.Equal(400, result.Status);
        Assert.Equal(field, JsonDocument.Parse(result.Body).RootElement.GetProperty("field").GetString());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, FakeTimeProvider clock, CrashingSender crash)
    {
        var provider = TestServices.Build(settings, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IEmailSender>(sp => crash.Wrap(sp.GetRequiredService<OutboxEmailSender>()));
        });
        return provider;
    }

    private static async Task<(int Status, string Body)> Call(IServiceProvider services, string method, string pathAndQuery, string? body, Func<HttpRequest, Task<IResult>> handler, string contentType = "application/json")
    {
        var context = new DefaultHttpContext { RequestServices = services };
        var uri = new Uri("http://127.0.0.1" + pathAndQuery);
        context.Request.Method = method;
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body ?? ""));
        context.Response.Body = new MemoryStream();
        await (await handler(context.Request)).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    /// <summary>Simulates the process dying just before or just after the first real send.</summary>
    private sealed class CrashingSender(bool crashAfterSend)
    {
        private int _calls;
        private int _sends;

        public int Sends => _sends;

        public IEmailSender Wrap(IEmailSender inner) => new Wrapper(this, inner);

        private sealed class Wrapper(CrashingSender owner, IEmailSender inner) : IEmailSender
        {
            public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
            {
                var first = Interlocked.Increment(ref owner._calls) == 1;
                if (first && !owner.CrashAfterSend)
                {
                    throw new InvalidOperationException("process died before sending");
                }

                var result = await inner.SendAsync(message, cancellationToken);
                Interlocked.Increment(ref owner._sends);
                return first ? throw new InvalidOperationException("process died after sending") : result;
            }

            public Task<Delivery> WasSentAsync(string recipient, string digestId, CancellationToken cancellationToken) =>
                inner.WasSentAsync(recipient, digestId, cancellationToken);
        }

        private bool CrashAfterSend => crashAfterSend;
    }
}
