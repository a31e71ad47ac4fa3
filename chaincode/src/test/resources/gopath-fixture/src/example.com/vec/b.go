// second file
