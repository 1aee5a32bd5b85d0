console.log("demo: under construction");
