namespace Shop.Api.Errors;

public static class RequestValidation
{
    /// <summary>
    /// Runs <paramref name="rules"/> on the bound <typeparamref name="TRequest"/> before the handler; any error
    /// answers 400 VALIDATION_FAILED with the field errors and the handler never runs. Usage:
    /// <c>group.MapPost("/", CreateAsync).Validate&lt;CreateX&gt;((r, e) =&gt; e.Required("name", r.Name));</c>
    /// </summary>
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder builder, Action<TRequest, ValidationErrors> rules)
        where TRequest : class =>
        builder.Validate<TRequest>((request, _, errors) =>
        {
            rules(request, errors);
            return ValueTask.CompletedTask;
        });

    /// <summary>As above, for rules that need the request's services first (e.g. a list the rules compare with).</summary>
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder builder, Func<TRequest, HttpContext, ValidationErrors, ValueTask> rules)
        where TRequest : class =>
        builder
            .AddEndpointFilterFactory((factory, next) =>
            {
                // Resolved when the endpoint is built, so a route validating a type it does not take fails at startup.
                var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(TRequest));
                if (index < 0)
                {
                    throw new InvalidOperationException(
                        $"{factory.MethodInfo.Name} validates {typeof(TRequest).Name} but takes no parameter of that type.");
                }

                return async context =>
                {
                    var errors = new ValidationErrors();
                    if (context.Arguments[index] is TRequest request)
                    {
                        await rules(request, context.HttpContext, errors);
                    }
                    else
                    {
                        errors.Add("body", "A request body is required.");
                    }

                    return errors.IsValid ? await next(context) : ShopProblems.Validation(errors);
                };
            })
            .ProducesValidationProblem();
}
