using System.Globalization;
using Alerts.Core.Matches;
using Alerts.Core.Subscribers;
using Alerts.Core.Watchlists;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Pages;

/// <summary>
/// The public pages: <c>/</c> (what is watched, the sign-up form, recent headlines when allowed),
/// the answers of the confirmation and unsubscribe links, and <c>/manage</c>. Adapters over
/// <see cref="SubscriptionService"/> and <see cref="ManageService"/>: every rule is theirs.
/// </summary>
public sealed class SubscriberPages(
    PageKit kit,
    SubscriptionService subscriptions,
    ManageService manage,
    WatchlistService watchlists,
    MatchService matches,
    IOptions<AdminOptions> options)
{
    public const int Headlines = 8;

    public Task<IResult> HomeAsync(HttpContext context, CancellationToken cancellationToken) =>
        kit.GuardAsync(context, PageArea.Public, async () => HttpMethods.IsPost(context.Request.Method)
            ? await SignUpAsync(context, cancellationToken)
            : await HomePageAsync(context, new SubscriptionChoice([], "daily@08", Digests.Cadence.DefaultTimeZone), null, null, 200, cancellationToken));

    private async Task<IResult> SignUpAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (form, refusal) = await kit.ReadFormAsync(context, PageArea.Public, "/#subscribe", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var choice = SubscriptionChoice.Read(form!);
        var email = PageKit.Field(form!, "email");
        try
        {
            await subscriptions.SubscribeAsync(new SubscriptionRequest(email, PageKit.Field(form!, "name"), choice.Watchlists.Count == 0 ? null : choice.Watchlists, choice.Cadence, choice.TimeZone), cancellationToken);
        }
        catch (SubscriptionException ex)
        {
            return await HomePageAsync(context, choice, email, ex, 400, cancellationToken);
        }
        catch (Email.EmailSendException)
        {
            return kit.Error(context, 503, "Email not sent", "We could not send the confirmation email just now. Nothing was changed; please try again in a few minutes.", PageKit.BackLink("/#subscribe", "Back to the sign-up form"));
        }

        // The same answer whether the address was new, known, or asked too often: it reveals nothing.
        return kit.Page(context, "Check your inbox", Html.Of($"""
            <h1>Check your inbox</h1>
            <div class="notice ok" role="status"><p>If <strong>{email}</strong> can receive email, a message with a link to confirm is on its way. Nothing is sent until you open that link.</p></div>
            <p>The link is valid for {TokenService.ConfirmLifetime.TotalHours.ToString("0", CultureInfo.InvariantCulture)} hours. No email? Look in your spam folder, or <a href="/#subscribe">try again</a> in ten minutes.</p>
            """), narrow: true);
    }

    private async Task<IResult> HomePageAsync(HttpContext context, SubscriptionChoice choice, string? email, SubscriptionException? error, int status, CancellationToken cancellationToken)
    {
        var lists = await watchlists.ListAsync(cancellationToken);
        var watched = Html.Join(lists.Select(w => Html.Of($"""
            <li><strong>{SubscriptionChoice.PublicLabel(w)}</strong>
            <ul class="chips" aria-label="Watched parties">{Html.Join(w.EntityGroups.Select(e => Html.Of($"<li>{e}</li>")))}</ul>
            <ul class="chips" aria-label="Topics">{Html.Join(w.Topics.Select(t => Html.Of($"<li>{t}</li>")))}</ul></li>
            """)));
        var headlines = options.Value.PublicHeadlines ? await HeadlinesAsync(cancellationToken) : Markup.Empty;
        var problem = error is null ? Markup.Empty : Html.Of($"<div class=\"notice error\" role=\"alert\"><p>{error.Message}</p></div>");
        return kit.Page(context, "News alerts on oil and arms deals", Html.Of($"""
            <div class="hero">
            <section aria-labelledby="what">
            <h1 id="what">Oil and arms deals between Iran, North Korea and Russia, as they are reported</h1>
            <p class="lead">We read news feeds around the clock, flag the stories that describe a deal between these countries, and email you a short digest that says why each story was flagged.</p>
            <h2>What we watch</h2>
            <ul class="watch-list">{watched}</ul>
            {headlines}
            </section>
            <section class="card" aria-labelledby="subscribe">
            <h2 id="subscribe">Get the alerts by email</h2>
            {problem}
            <form method="post" action="/" novalidate>
            {kit.Antiforgery(context)}
            <div class="field">
            <label for="email">Email address</label>
            <input type="email" id="email" name="email" autocomplete="email" required value="{email}"{(error?.Field == "email" ? new Markup(" aria-invalid=\"true\" aria-describedby=\"email-error\"") : Markup.Empty)}>
            {SubscriptionChoice.ErrorFor(error?.Field, "email", error?.Message)}
            </div>
            {choice.Fields(lists, error, browserZone: true)}
            <button type="submit">Subscribe</button>
            <p class="hint">We email you a link to confirm first. Every email has a link to change these choices or leave.</p>
            </form>
            </section>
            </div>
            """), status: status);
    }

    private async Task<Markup> HeadlinesAsync(CancellationToken cancellationToken)
    {
        var page = await matches.ListAsync(new MatchQuery(Max: Headlines), cancellationToken);
        if (page.Items.Count == 0)
        {
            return Markup.Empty;
        }

        var items = Html.Join(page.Items.Select(m => Html.Of($"<li><span class=\"story-title\">{Html.ExternalLink(m.Link, m.Title)}</span><br><span class=\"small muted\">{Html.When(m.PublishedAt ?? m.MatchedAt)} · {string.Join(", ", m.Entities)} · {string.Join(", ", m.Topics)}</span></li>")));
        return Html.Of($"<h2>Recent headlines</h2><ul class=\"stories\">{items}</ul>");
    }

    /// <summary>The answer of a confirmation link opened in a browser.</summary>
    public HtmlPage Confirmed(HttpContext context, string email) => kit.Page(context, "Subscription confirmed", Html.Of($"""
        <h1>You are subscribed</h1>
        <div class="notice ok" role="status"><p>News alerts will go to <strong>{email}</strong>. Every email has a link to change what you get, pause, or leave.</p></div>
        <div class="actions"><a class="button secondary" href="/">Back to the home page</a></div>
        """), narrow: true);

    /// <summary>A confirmation or unsubscribe link that is tampered with, expired or superseded.</summary>
    public HtmlPage BadLink(HttpContext context, string what) => kit.Error(
        context,
        400,
        "This link does not work",
        $"This {what} link is invalid, has expired, or was replaced by a newer one.",
        Html.Of($"<a class=\"button\" href=\"/#subscribe\">Subscribe again</a> <a class=\"button secondary\" href=\"/\">Home page</a>"));

    /// <summary>GET of an unsubscribe link: one button, so link scanners that open it unsubscribe nobody.</summary>
    public HtmlPage ConfirmLeaving(HttpContext context, string token, string email) => kit.Page(context, "Unsubscribe", Html.Of($"""
        <h1>Unsubscribe?</h1>
        <p>Stop all news alerts to <strong>{email}</strong>?</p>
        <form method="post" action="/api/unsubscribe{Html.Query(("token", token))}">
        <input type="hidden" name="List-Unsubscribe" value="One-Click">
        <div class="actions"><button type="submit" class="danger">Unsubscribe</button><a href="/">Keep my alerts</a></div>
        </form>
        """), narrow: true);

    /// <summary>After leaving: said plainly, with an undo button that restores the subscription as it was.</summary>
    public HtmlPage Left(HttpContext context, string token, string email, Departure? departure)
    {
        var undo = departure is null
            ? Html.Of($"<a class=\"button secondary\" href=\"/#subscribe\">Subscribe again</a>")
            : Html.Of($"""
                <form method="post" action="/unsubscribe/undo">
                {kit.Antiforgery(context)}
                <input type="hidden" name="token" value="{token}">
                <input type="hidden" name="email" value="{departure.Email}">
                <input type="hidden" name="name" value="{departure.Name}">
                <input type="hidden" name="watchlists" value="{string.Join(',', departure.Watchlists)}">
                <input type="hidden" name="cadence" value="{departure.Cadence}">
                <input type="hidden" name="timeZone" value="{departure.TimeZone}">
                <input type="hidden" name="since" value="{departure.Watermark.ToUnixTimeSeconds()}">
                <button type="submit">Undo: keep my alerts</button>
                </form>
                """);
        return kit.Page(context, "Unsubscribed", Html.Of($"""
            <h1>You are unsubscribed</h1>
            <div class="notice ok" role="status"><p><strong>{email}</strong> will receive no more news alerts.</p></div>
            <div class="actions">{undo}</div>
            """), narrow: true);
    }

    /// <summary>POST <c>/unsubscribe/undo</c>: restores what the owner just left, with the same link.</summary>
    public Task<IResult> UndoAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Public, async () =>
    {
        var (form, refusal) = await kit.ReadFormAsync(context, PageArea.Public, "/", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var token = PageKit.Field(form!, "token");
        var since = long.TryParse(PageKit.Field(form!, "since"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        var departure = new Departure(
            PageKit.Field(form!, "email") ?? "",
            PageKit.Field(form!, "name"),
            (PageKit.Field(form!, "watchlists") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            PageKit.Field(form!, "cadence") ?? "daily",
            PageKit.Field(form!, "timeZone") ?? Digests.Cadence.DefaultTimeZone,
            since);
        string? email;
        try
        {
            email = await manage.UndoLeaveAsync(token, departure, cancellationToken);
        }
        catch (SubscriptionException)
        {
            email = null; // what came back from the page no longer fits (a watchlist was deleted meanwhile)
        }

        return email is null
            ? kit.Error(context, 400, "Could not undo", "This subscription cannot be restored from here (the link expired, or the address is subscribed again already). You can subscribe again with the form.", Html.Of($"<a class=\"button\" href=\"/#subscribe\">Subscribe again</a>"))
            : kit.Page(context, "Subscription restored", Html.Of($"""
                <h1>Welcome back</h1>
                <div class="notice ok" role="status"><p>News alerts to <strong>{email}</strong> continue as before.</p></div>
                <div class="actions"><a class="button secondary" href="/">Home page</a></div>
                """), narrow: true);
    });

    /// <summary><c>/manage?token=</c>: the subscriber's own preferences, changed at once (see <see cref="ManageService"/> for why that is safe).</summary>
    public Task<IResult> ManageAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Public, async () =>
    {
        var token = context.Request.Query["token"].ToString();
        if (manage.EmailOf(token) is null)
        {
            return kit.Error(context, 400, "This link does not work", "This preferences link is invalid or has expired. The newest email we sent you has a fresh one.", Html.Of($"<a class=\"button\" href=\"/#subscribe\">Subscribe again</a>"));
        }

        SubscriptionException? error = null;
        string? saved = null;
        SubscriptionChoice? tried = null;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var self = "/manage" + Html.Query(("token", token));
            var (form, refusal) = await kit.ReadFormAsync(context, PageArea.Public, self, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            var action = PageKit.Field(form!, "action");
            if (action == "leave")
            {
                var (email, departure) = await manage.LeaveAsync(token, TokenPurpose.Manage, cancellationToken);
                return Left(context, token, email!, departure);
            }

            ManageOutcome outcome;
            try
            {
                tried = action == "save" ? SubscriptionChoice.Read(form!) : null;
                outcome = action switch
                {
                    "pause" => await manage.SetPausedAsync(token, true, cancellationToken),
                    "resume" => await manage.SetPausedAsync(token, false, cancellationToken),
                    _ => await manage.UpdateAsync(token, tried!.Watchlists.Count == 0 ? null : tried.Watchlists, tried.Cadence, tried.TimeZone, cancellationToken),
                };
            }
            catch (SubscriptionException ex)
            {
                error = ex;
                outcome = ManageOutcome.Saved;
            }

            if (outcome == ManageOutcome.Saved && error is null)
            {
                // Post, then show the saved state with a GET: reloading does not post again.
                return PageKit.SeeOther(self + "&saved=" + action);
            }
        }
        else
        {
            saved = context.Request.Query["saved"].ToString();
        }

        var subscriber = await manage.GetAsync(token, cancellationToken);
        if (subscriber is null)
        {
            return kit.Page(context, "Not subscribed", Html.Of($"""
                <h1>You are not subscribed</h1>
                <p>There is no subscription for this address any more.</p>
                <div class="actions"><a class="button" href="/#subscribe">Subscribe again</a></div>
                """), narrow: true);
        }

        return await ManagePageAsync(context, token, subscriber, tried, error, saved, cancellationToken);
    });

    private async Task<IResult> ManagePageAsync(HttpContext context, string token, SubscriberView subscriber, SubscriptionChoice? tried, SubscriptionException? error, string? saved, CancellationToken cancellationToken)
    {
        var lists = await watchlists.ListAsync(cancellationToken);
        var choice = tried ?? new SubscriptionChoice(subscriber.Watchlists, subscriber.Cadence, subscriber.TimeZone);
        var action = "/manage" + Html.Query(("token", token));
        var status = saved switch
        {
            "save" => Html.Of($"<div class=\"notice ok\" role=\"status\"><p>Your choices are saved.</p></div>"),
            "pause" => Html.Of($"<div class=\"notice ok\" role=\"status\"><p>Paused. We will keep what matches and send it when you resume.</p></div>"),
            "resume" => Html.Of($"<div class=\"notice ok\" role=\"status\"><p>Resumed. Your next email includes what matched while you were away.</p></div>"),
            _ => Markup.Empty,
        };
        var problem = error is null ? Markup.Empty : Html.Of($"<div class=\"notice error\" role=\"alert\"><p>{error.Message}</p></div>");
        var pause = subscriber.Paused
            ? Html.Of($"<p><span class=\"badge paused\">Paused</span> No emails until you resume.</p><button type=\"submit\" name=\"action\" value=\"resume\">Resume my alerts</button>")
            : Html.Of($"<p>Going away? Pause and nothing is lost: you get what matched when you resume.</p><button type=\"submit\" name=\"action\" value=\"pause\" class=\"secondary\">Pause my alerts</button>");
        return kit.Page(context, "Your news alerts", Html.Of($"""
            <h1>Your news alerts</h1>
            <p class="lead">For <strong>{subscriber.Email}</strong>. Changes here apply at once.</p>
            {status}{problem}
            <section class="card" aria-labelledby="prefs">
            <h2 id="prefs">What and when</h2>
            <form method="post" action="{action}">
            {kit.Antiforgery(context)}
            {choice.Fields(lists, error, browserZone: false)}
            <button type="submit" name="action" value="save">Save my choices</button>
            </form>
            </section>
            <section class="card" aria-labelledby="pause">
            <h2 id="pause">Pause</h2>
            <form method="post" action="{action}">{kit.Antiforgery(context)}{pause}</form>
            </section>
            <section class="card" aria-labelledby="leave">
            <h2 id="leave">Leave</h2>
            <form method="post" action="{action}">{kit.Antiforgery(context)}
            <p>Stop all emails. You can undo it on the next page.</p>
            <button type="submit" name="action" value="leave" class="danger">Unsubscribe</button>
            </form>
            </section>
            <p class="small muted">This page opens from the link in your emails; anyone you forward an email to can open it too.</p>
            """), narrow: true);
    }
}
