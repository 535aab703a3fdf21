console.log("tools")
