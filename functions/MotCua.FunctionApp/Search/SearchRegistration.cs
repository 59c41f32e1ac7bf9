namespace MotCua.FunctionApp.Search;

public static class SearchRegistration
{
    public static IServiceCollection AddSearch(this IServiceCollection services) =>
        services.AddSingleton<IDossierSearchIndex, TableSearchIndex>().AddSingleton<DossierSearch>();
}
