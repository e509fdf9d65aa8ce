namespace Alerts.Cli;

/// <summary>
/// A small, strict parser: positional words, <c>--name value</c> options and <c>--flag</c> switches.
/// Anything unknown is a usage error, so a typo never silently does something else.
/// </summary>
public sealed class Arguments
{
    private readonly List<string> _positional = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <param name="args">Arguments after the command words.</param>
    /// <param name="flags">Options that take no value.</param>
    /// <param name="valued">Options that take a value.</param>
    public Arguments(IEnumerable<string> args, IReadOnlyCollection<string> flags, IReadOnlyCollection<string> valued)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var name = a[2..];
                string? inline = null;
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    inline = name[(eq + 1)..];
                    name = name[..eq];
                }

                if (flags.Contains(name))
                {
                    if (inline is not null)
                    {
                        throw new UsageException($"--{name} takes no value");
                    }

                    _options[name] = null;
                }
                else if (valued.Contains(name))
                {
                    if (inline is null && !e.MoveNext())
                    {
                        throw new UsageException($"--{name} needs a value");
                    }

                    _options[name] = inline ?? e.Current;
                }
                else
                {
                    throw new UsageException($"unknown option --{name}");
                }
            }
            else
            {
                _positional.Add(a);
            }
        }
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public string Positional(int index, string what) =>
        index < _positional.Count ? _positional[index] : throw new UsageException($"missing {what}");

    /// <summary>Fails when more positional words were given than the command takes.</summary>
    public void NoMorePositionalThan(int count)
    {
        if (_positional.Count > count)
        {
            throw new UsageException($"unexpected argument '{_positional[count]}'");
        }
    }

    public IReadOnlyList<string> AllPositional => _positional;

    internal HashSet<string> Used => _used;
}
