using Alerts.Core.Subscribers;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary><c>/console/subscribers</c>: list, filter, remove, resend the confirmation email — through <see cref="SubscriberService"/>.</summary>
public sealed class SubscriberAdminPages(PageKit kit, SubscriberService subscribers)
{
    public Task<IResult> ShowAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        var notice = Markup.Empty;
        var status = 200;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var (form, refusal) = await kit.ReadFormAsync(context, PageArea.Console, "/console/subscribers", cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            var email = PageKit.Field(form!, "email") ?? "";
            switch (PageKit.Field(form!, "action"))
            {
                case "remove":
                    return PageKit.SeeOther("/console/subscribers?done=" + (await subscribers.RemoveAsync(email, cancellationToken) ? "removed" : "missing"));
                case "resend":
                    var subscriber = (await subscribers.ListAsync(cancellationToken)).FirstOrDefault(s => s.Email.Equals(email, StringComparison.OrdinalIgnoreCase));
                    if (subscriber is null)
                    {
                        return PageKit.SeeOther("/console/subscribers?done=missing");
                    }

                    var sent = await subscribers.InviteAsync(new SubscriptionRequest(subscriber.Email, subscriber.Name, subscriber.Watchlists, subscriber.Cadence, subscriber.TimeZone), cancellationToken);
                    return PageKit.SeeOther("/console/subscribers?done=" + (sent ? "resent" : "limited"));
                default:
                    notice = Html.Of($"<div class=\"notice error\" role=\"alert\"><p>Choose what to do with a subscriber.</p></div>");
                    status = 400;
                    break;
            }
        }
        else
        {
            notice = context.Request.Query["done"].ToString() switch
            {
                "removed" => Html.Of($"<div class=\"notice ok\" role=\"status\"><p>Subscriber removed.</p></div>"),
                "resent" => Html.Of($"<div class=\"notice ok\" role=\"status\"><p>Confirmation email sent again.</p></div>"),
                "limited" => Html.Of($"<div class=\"notice warn\" role=\"status\"><p>Not sent: this address had a confirmation email in the last {SubscriptionService.ConfirmationInterval.TotalMinutes:0} minutes, or {SubscriptionService.ConfirmationsPerDay} today.</p></div>"),
                "missing" => Html.Of($"<div class=\"notice warn\" role=\"status\"><p>No such subscriber (removed meanwhile?).</p></div>"),
                _ => Markup.Empty,
            };
        }

        var q = context.Request.Query["q"].ToString().Trim();
        var state = context.Request.Query["state"].ToString();
        var all = await subscribers.ListAsync(cancellationToken);
        var shown = all.Where(s => (q.Length == 0 || s.Email.Contains(q, StringComparison.OrdinalIgnoreCase) || (s.Name?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false))
            && state switch
            {
                "confirmed" => s.Confirmed && !s.Paused,
                "unconfirmed" => !s.Confirmed,
                "paused" => s.Paused,
                _ => true,
            }).ToList();
        var antiforgery = kit.Antiforgery(context);
        var rows = Html.Join(shown.Select(s => Html.Of($"""
            <tr>
            <td>{s.Email}{(s.Name is null ? Markup.Empty : Html.Of($"<br><span class=\"small muted\">{s.Name}</span>"))}</td>
            <td>{(s.Paused ? Html.Of($"<span class=\"badge paused\">paused</span>") : s.Confirmed ? Html.Of($"<span class=\"badge ok\">confirmed</span>") : Html.Of($"<span class=\"badge info\">unconfirmed</span>"))}{(s.ChangePending ? Html.Of($" <span class=\"badge info\">change pending</span>") : Markup.Empty)}</td>
            <td>{string.Join(", ", s.Watchlists)}</td>
            <td>{s.Cadence}<br><span class="small muted">{s.TimeZone}</span></td>
            <td>{Html.When(s.CreatedAt)}</td>
            <td>{Html.When(s.LastDigestAt)}</td>
            <td><form method="post" action="/console/subscribers" class="inline-form">{antiforgery}<input type="hidden" name="email" value="{s.Email}">
            {(s.Confirmed ? Markup.Empty : Html.Of($"<button type=\"submit\" name=\"action\" value=\"resend\" class=\"link\">Resend confirmation<span class=\"sr-only\"> to {s.Email}</span></button> "))}
            <button type="submit" name="action" value="remove" class="link">Remove<span class="sr-only"> {s.Email}</span></button></form></td>
            </tr>
            """)));
        var states = new[] { ("", "All"), ("confirmed", "Confirmed"), ("unconfirmed", "Unconfirmed"), ("paused", "Paused") };
        return kit.Page(context, "Subscribers", Html.Of($"""
            <h1>Subscribers</h1>
            {notice}
            <form method="get" action="/console/subscribers" class="card inline">
            <div class="field"><label for="q">Email or name contains</label><input type="search" id="q" name="q" value="{q}"></div>
            <div class="field"><label for="state">State</label><select id="state" name="state">{Html.Options(states, state)}</select></div>
            <div class="field"><button type="submit">Filter</button></div>
            </form>
            <p>{shown.Count} of {all.Count} subscriber(s).</p>
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">Email</th><th scope="col">State</th><th scope="col">Watchlists</th><th scope="col">Cadence</th><th scope="col">Since</th><th scope="col">Last digest</th><th scope="col">Actions</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """), PageArea.Console, status, current: "/console/subscribers");
    });
}
