"""rossim.report"""
