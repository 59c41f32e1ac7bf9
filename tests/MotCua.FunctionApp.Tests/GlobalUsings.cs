global using Microsoft.Extensions.DependencyInjection;
global using MotCua.FunctionApp.Hosting;
global using Xunit;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.Hosting;
